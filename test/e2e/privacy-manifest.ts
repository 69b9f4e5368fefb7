/**
 * What the privacy audit (scripts/privacy-audit.mjs, run by `npm test` after the e2e
 * suite) needs: every folder and log the console wrote during the suite, and every secret
 * the stack handed out (invented people, subjects, PINs, passwords, tokens). Written as
 * JSON lines under .cache/results, which is git-ignored; the values are test data only.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from '../stack/stack';
import { IDENTITY_CODE } from '../stack/vdx/seed';
import { projectRoot } from '../support/electron';

const dir = join(projectRoot, '.cache', 'results');

function append(file: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, file), JSON.stringify(value) + '\n');
}

/** A folder the console wrote (its profile) and the log of its main process. */
export function recordConsoleArtifacts(paths: string[]): void {
  append('e2e-artifacts.jsonl', { paths });
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
  append('e2e-secrets.jsonl', {
    text: [
      ...stack.idp.users.flatMap((u) => [u.name, u.username, u.password]),
      ...meetings.map((m) => m.subject),
      // The invented identity numbers in subjects, on their own: found even without the subject.
      ...meetings.flatMap((m) => m.subject.match(IDENTITY_CODE) ?? []),
      ...tokens,
      // The Pexip double's Management API password (the waiting badge's status account).
      ...(stack.pexip ? [stack.pexip.statusApi.password] : []),
    ],
    pins,
  });
}
