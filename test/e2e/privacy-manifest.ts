/**
 * What the privacy audit (scripts/privacy-audit.mjs, run by `npm test` after the e2e
 * suite) needs: every folder and log the console wrote during the suite, and every secret
 * the stack handed out (invented people, subjects, PINs, passwords, the phone numbers texted; the identity provider's
 * tokens; the room guard's host sessions, watchers, guest secrets and Janus tokens; Pexip's
 * participant tokens; the stack's own keys; the browser host's launch secret, control
 * secret, session cookie and window credentials). Written as JSON lines under
 * .cache/results, which is git-ignored; the values are test data only.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { issuedSecrets, recordIssuedSecrets } from '../stack/issued-secrets';
import { everyNumberTexted } from '../stack/sms/server';
import type { Stack } from '../stack/stack';
import { IDENTITY_CODE } from '../stack/vdx/seed';
import { projectRoot } from '../support/electron';

const dir = join(projectRoot, '.cache', 'results');

// From the moment the fixture can start a stack: what its servers hand out over HTTP
// (sessions, tokens) exists only in responses, so it is recorded as they are sent.
recordIssuedSecrets();

/**
 * One file per worker process (`e2e-secrets.w<N>.jsonl`): the suite runs on two workers, and
 * two processes appending long lines to one file could interleave them. The audit reads
 * every `e2e-<kind>*.jsonl`.
 */
function append(kind: 'artifacts' | 'secrets', value: unknown): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `e2e-${kind}.w${process.env.TEST_WORKER_INDEX ?? 'main'}.jsonl`), JSON.stringify(value) + '\n');
}

/** A folder the console wrote (its profile) and the log of its main process. */
export function recordConsoleArtifacts(paths: string[]): void {
  append('artifacts', { paths });
}

/** Everything personal or secret the stack issued, to be searched for afterwards. */
export function recordStackSecrets(stack: Stack): void {
  const tokens = stack.idp.issuedTokens.flatMap((t) => [t.accessToken, t.refreshToken, t.idToken]).filter((t): t is string => !!t);
  const meetings = stack.vdx.allMeetings();
  const pins = meetings.flatMap((m) => {
    try {
      const info = stack.vdx.schedulingInfo(m.uuid);
      return [info.guestPin, info.hostPin].filter((p): p is number => typeof p === 'number').map(String);
    } catch {
      return []; // deleted during the suite
    }
  });
  append('secrets', {
    text: [
      ...stack.idp.users.flatMap((u) => [u.name, u.username, u.password]),
      ...meetings.map((m) => m.subject),
      // The invented identity numbers in subjects, on their own: found even without the subject.
      ...meetings.flatMap((m) => m.subject.match(IDENTITY_CODE) ?? []),
      ...tokens,
      // The Pexip double's Management API password (the waiting badge's status account).
      ...(stack.pexip ? [stack.pexip.statusApi.password] : []),
      // Guard sessions and watchers, guest secrets, Janus and Pexip tokens, authorization codes.
      ...issuedSecrets(),
      // The phone numbers invitations (and "Running late") went to, as typed and as digits only:
      // kept only in the encrypted schedule database, for the meeting's day.
      ...everyNumberTexted().flatMap((n) => [n, n.replace(/[\s-]/g, ''), n.replace(/\D/g, '')]),
      // The stack's own keys: the console never holds them, so they can only leak through a bug.
      ...(stack.guard ? [stack.guard.provisionKey] : []),
      ...(stack.janus ? [stack.janus.adminKey, stack.janus.adminSecret] : []),
    ],
    // The guard's test room's host PIN too (IT's policy gives it to the readiness check).
    pins: [...pins, ...(stack.guard ? [stack.guard.testRoom.hostPin] : [])],
  });
}

/**
 * The browser host's secrets, as the process that starts it and the browser see them: the
 * launch secret and each window's ticket (in the addresses' fragments), the control secret,
 * the session cookie and the window credentials the host answers with. Call the returned
 * function before the context closes; it records them.
 */
export function watchBrowserHost(context: BrowserContext, launch: { url: string; control: string }): () => Promise<void> {
  const secrets = new Set<string>([launch.control, ...fragmentValues(launch.url)]);
  const onPage = (page: Page) => {
    for (const value of fragmentValues(page.url())) secrets.add(value);
    page.on('framenavigated', (frame) => {
      for (const value of fragmentValues(frame.url())) secrets.add(value);
    });
  };
  // The first tab may be open already (it opens while the host starts).
  for (const page of context.pages()) onPage(page);
  context.on('page', onPage);
  context.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/__host/') || !(response.headers()['content-type'] ?? '').includes('json')) return;
    response
      .json()
      .then((body: unknown) => {
        const credential = (body as { credential?: unknown } | null)?.credential;
        if (typeof credential === 'string') secrets.add(credential);
      })
      .catch(() => undefined); // the page went away first: nothing to read
  });
  return async () => {
    for (const cookie of await context.cookies().catch(() => [])) secrets.add(cookie.value);
    append('secrets', { text: [...secrets].filter((s) => s.length >= 16), pins: [] });
  };
}

function fragmentValues(url: string): string[] {
  try {
    return [...new URLSearchParams(new URL(url).hash.slice(1)).values()];
  } catch {
    return []; // about:blank and the like
  }
}
