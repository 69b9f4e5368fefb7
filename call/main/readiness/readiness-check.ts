/**
 * The readiness check IT runs against its real conference servers ("Check conference
 * servers" in Diagnostics; `npm run check-servers` for scripts): every configured server,
 * step by step, in a table of rows (common/readiness.ts) that names the step that failed.
 *
 * It runs in Node (no Electron), so both forms ask the same way: Node's DNS, TLS and fetch,
 * direct to the servers (not through the proxy Chromium uses for the call itself), trusting
 * Node's CA list plus NODE_EXTRA_CA_CERTS. One run asks each server a handful of requests,
 * only when IT or the user starts it: no idle traffic.
 *
 * A step that cannot run because an earlier one failed (no name, no TLS, no answer) is
 * skipped, so the first failure is the one the table names.
 */
import type { ReadinessReport, ReadinessStepName } from '../../../common/readiness';
import type { Settings } from '../../../main/settings/settings';
import { dnsStep, tlsStep } from './network-steps';
import { clientApiStep, corsStep, eventsStep, releaseTokenStep, requestTokenStep, type ClientContext } from './pexip-client-steps';
import { stunSteps, turnSteps } from './ice-steps';
import { managementSteps } from './management-steps';
import { guardAdmissionStep, guardSteps, janusSteps } from './janus-steps';
import { rowsFor, type Row } from './rows';

export interface ReadinessOptions {
  settings: Pick<Settings, 'conferenceServers' | 'pexipStatusApi' | 'pexipTestAlias' | 'janusTestRooms'>;
  /** The origin the call window's requests come from (`app://console`; the browser host's own). */
  origin: string;
  fetch?: typeof fetch;
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** When it ran (tests); default now. */
  now?: () => Date;
}

const STEPS_AFTER_API = ['cors', 'request-token', 'events', 'stun', 'turn', 'release-token'] as const;

async function pexipSteps(node: string, alias: string, opts: { origin: string; fetch: typeof fetch; timeoutMs: number }): Promise<Row[]> {
  const rows = rowsFor('pexip', node);
  const url = new URL(node);
  const out: Row[] = [];
  const skipRest = (steps: readonly ReadinessStepName[]) => steps.map((s) => rows.skipped(s, 'earlier-step-failed'));

  out.push(await dnsStep(rows, url));
  if (out.at(-1)!.state === 'failed') return [...out, ...skipRest(['tls', 'client-api', ...STEPS_AFTER_API])];
  out.push(await tlsStep(rows, url, opts.timeoutMs));
  if (out.at(-1)!.state === 'failed') return [...out, ...skipRest(['client-api', ...STEPS_AFTER_API])];
  const ctx: ClientContext = { node: node.replace(/\/+$/, ''), origin: opts.origin, fetch: opts.fetch, timeoutMs: opts.timeoutMs };
  out.push(await clientApiStep(rows, ctx));
  if (out.at(-1)!.state === 'failed') return [...out, ...skipRest(STEPS_AFTER_API)];
  out.push(await corsStep(rows, ctx, alias || 'readiness-check'));

  if (!alias) return [...out, ...(['request-token', 'events', 'stun', 'turn', 'release-token'] as const).map((s) => rows.skipped(s, 'no-test-alias'))];
  const { row, issued } = await requestTokenStep(rows, ctx, alias);
  out.push(row);
  if (!issued) return [...out, ...(['events', 'stun', 'turn', 'release-token'] as const).map((s) => rows.skipped(s, 'no-token'))];
  try {
    out.push(await eventsStep(rows, ctx, alias, issued.token));
    const [stun, turn] = await Promise.all([stunSteps(issued, node, opts.timeoutMs), turnSteps(issued, node, opts.timeoutMs)]);
    out.push(...stun, ...turn);
  } finally {
    out.push(await releaseTokenStep(rows, ctx, alias, issued.token));
  }
  return out;
}

export async function runReadinessCheck(opts: ReadinessOptions): Promise<ReadinessReport> {
  const fetcher = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const { settings } = opts;
  const rows: Row[] = [];
  const askedManagement = new Set<string>();
  // One server after another: the table reads in the settings' order, and IT's servers are asked gently.
  for (const server of settings.conferenceServers) {
    if (server.provider === 'pexip') {
      rows.push(...(await pexipSteps(server.url, settings.pexipTestAlias, { origin: opts.origin, fetch: fetcher, timeoutMs })));
      const account = settings.pexipStatusApi.find((a) => a.domain === server.domain);
      if (!account) rows.push(rowsFor('pexip-management', server.domain).skipped('management-status', 'no-status-account'));
      // A Management Node serving several domains is checked once per account.
      else if (!askedManagement.has(`${account.url}\n${account.username}`)) {
        askedManagement.add(`${account.url}\n${account.username}`);
        rows.push(...(await managementSteps(account, settings.pexipTestAlias, { fetch: fetcher, timeoutMs })));
      }
    } else {
      const site = [...(await guardSteps(server.guardUrl, { fetch: fetcher, timeoutMs })), ...(await janusSteps(server.url, { timeoutMs }))];
      const testRoom = settings.janusTestRooms.find((r) => r.domain === server.domain);
      rows.push(...site, await guardAdmissionStep(server, testRoom, site, { fetch: fetcher, timeoutMs }));
    }
  }
  return { at: (opts.now?.() ?? new Date()).toISOString(), origin: opts.origin.slice(0, 200), rows: rows.slice(0, 500) };
}
