/**
 * IT's read-only Management API account for one Management Node, shared by all of that node's
 * meetings' waiting probes (one client per account per signed-in session).
 *
 * - Which VMR a meeting is in: the configuration API's `conference_alias/?alias=<alias>` names
 *   the VMR's resource (`/api/admin/configuration/v1/conference/<id>/`), whose `name` is what
 *   the status API calls `conference`. A VMR's name is not one of its aliases on a real node,
 *   so the meeting's uriWithDomain cannot be used as the name.
 * - Who is there: one status list of the node's participants per round, for all open meetings
 *   (`status/v1/participant/`, paged), not one per meeting. The names in it are dropped when
 *   it is parsed (z.object keeps only what is listed), the VMR's PINs likewise.
 * - 401 (the account or its password is wrong), or 403 on the status list: the account is not
 *   used again until the console restarts (a wrong password repeated every round could lock
 *   it), said once. 403 on the configuration API only: the role lacks the right to read VMRs,
 *   said once, and no lookup is tried again.
 * - 429 (polled too fast: the Management Node throttles): nothing is asked until the
 *   Retry-After, or a minute when there is none (Tastypie's throttle sends none), said once.
 *
 * Nothing with a password, a PIN or a name is logged; the alias of a meeting's room (its
 * uriWithDomain, an address IT configured) may be.
 */
import { z } from 'zod';
import type { Logger } from '../../../../main/log/logger';
import type { PexipStatusApi } from '../../../../main/settings/settings';
import type { WaitingProblem } from '../../../main/waiting-probes';

/** The fields of a participant status the badge needs (names and everything else dropped). */
const StatusParticipant = z.object({
  conference: z.string(),
  role: z.string(),
  service_type: z.string(),
  call_tag: z.string().nullish(),
  /** The alias a participant dialled (a dial-out's: the endpoint's address). */
  destination_alias: z.string().nullish(),
  /** When it connected (a guest waiting: to the waiting room), naive UTC: statusTime(). */
  connect_time: z.string().nullish(),
});
export type StatusParticipant = z.infer<typeof StatusParticipant>;

const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ meta: z.object({ next: z.string().nullish() }).partial().optional(), objects: z.array(item).max(PAGE_SIZE) });

const AliasObject = z.object({ alias: z.string(), conference: z.string().regex(/^\/api\/admin\/configuration\/v1\/conference\/\d+\/$/) });
const ConferenceObject = z.object({ name: z.string().min(1).max(250) });

/**
 * A Management API datetime as ISO 8601 UTC. The API writes naive UTC with microseconds
 * (`2015-04-02T09:08:15.565590`, [inferred] UTC: the status API's examples carry no offset and
 * Pexip nodes run in UTC); an offset, if one is given, is kept. Null when unreadable.
 */
export function statusTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Participants per status page, and the most pages a round reads (a node with more is read in part, and logged). */
const PAGE_SIZE = 500;
const MAX_PAGES = 10;
/** How long a 429 without Retry-After holds the account back. */
const THROTTLED_MS = 60_000;
/** An alias no VMR has yet is asked again after this (VDX may provision the VMR later). */
const MISS_RETRY_MS = 5 * 60_000;

export type VmrLookup = { name: string } | 'none' | null;

export interface ManagementClient {
  /** The VMR name for an alias (the uriWithDomain, else its part before the @); 'none': no VMR has it; null: not known now. */
  vmrName(alias: string): Promise<VmrLookup>;
  /** The node's participants now, read once per round however many meetings ask; null: not known this round. */
  participants(round: number): Promise<StatusParticipant[] | null>;
  /** A lookup that said 'none' may be asked again from this time on. */
  readonly missRetryMs: number;
}

export function createManagementClient(opts: {
  api: PexipStatusApi;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  /** A monotonic clock in ms. */
  clock: () => number;
  /** A problem for Diagnostics (said once per alias and problem by the watch). */
  note: (alias: string, problem: WaitingProblem) => void;
}): ManagementClient {
  const { api, log } = opts;
  const base = api.url.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${api.username}:${api.password}`, 'utf8').toString('base64')}`;
  let refused = false;
  let lookupsRefused = false;
  let notBefore = 0;
  let throttledSaid = false;
  let truncatedSaid = false;
  let current: { round: number; answer: Promise<StatusParticipant[] | null> } | null = null;

  /** One GET; null when it could not be had (and what that means is handled here). */
  async function get(path: string, kind: 'status' | 'configuration'): Promise<unknown> {
    if (refused || opts.clock() < notBefore) return null;
    const url = new URL(path, `${base}/`);
    // Never follow an answer's paths off the Management Node.
    if (url.origin !== new URL(base).origin) return null;
    const res = await opts.fetch(url, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'manual' });
    if (res.ok) return res.json().catch(() => null);
    await res.body?.cancel();
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after'));
      notBefore = opts.clock() + (Number.isFinite(after) && after > 0 ? after * 1000 : THROTTLED_MS);
      if (!throttledSaid) log.warn(`waiting: the Pexip Management API for ${api.domain} answered 429 (polled too fast); not asked again for ${Math.round((notBefore - opts.clock()) / 1000)} s`);
      throttledSaid = true;
      opts.note(api.domain, 'rate-limited');
    } else if (res.status === 401 || (res.status === 403 && kind === 'status')) {
      refused = true;
      log.warn(`waiting: the Pexip Management API refused the status account for ${api.domain} (HTTP ${res.status}); its meetings get no waiting badge`);
    } else if (res.status === 403) {
      lookupsRefused = true;
      log.warn(`waiting: the Pexip Management API refused the status account's configuration read for ${api.domain} (HTTP ${res.status}); give its role read access to VMRs and aliases`);
      opts.note(api.domain, 'lookup-refused');
    }
    return null;
  }

  async function lookup(alias: string): Promise<VmrLookup> {
    const query = new URLSearchParams({ alias, limit: '1' }).toString();
    const list = Page(AliasObject).safeParse(await get(`api/admin/configuration/v1/conference_alias/?${query}`, 'configuration'));
    if (!list.success) return null;
    const found = list.data.objects.find((a) => a.alias === alias);
    if (!found) return 'none';
    const vmr = ConferenceObject.safeParse(await get(found.conference.slice(1), 'configuration'));
    return vmr.success ? { name: vmr.data.name } : null;
  }

  async function readAll(): Promise<StatusParticipant[] | null> {
    const all: StatusParticipant[] = [];
    let path: string | null | undefined = `api/admin/status/v1/participant/?limit=${PAGE_SIZE}`;
    for (let page = 0; path; page++) {
      if (page === MAX_PAGES) {
        if (!truncatedSaid) log.warn(`waiting: the Pexip node for ${api.domain} lists over ${MAX_PAGES * PAGE_SIZE} participants; the badge reads the first ${MAX_PAGES * PAGE_SIZE}`);
        truncatedSaid = true;
        break;
      }
      const parsed = Page(StatusParticipant).safeParse(await get(path.replace(/^\//, ''), 'status'));
      if (!parsed.success) return page === 0 ? null : all;
      all.push(...parsed.data.objects);
      path = parsed.data.meta?.next;
    }
    return all;
  }

  return {
    missRetryMs: MISS_RETRY_MS,
    async vmrName(alias) {
      if (lookupsRefused) return null;
      const exact = await lookup(alias);
      const at = alias.indexOf('@');
      // A VMR may carry only the bare alias; a meeting's uriWithDomain is `<alias>@<domain>`.
      return exact === 'none' && at > 0 ? lookup(alias.slice(0, at)) : exact;
    },
    participants(round) {
      if (current?.round !== round) current = { round, answer: readAll().catch(() => null) };
      return current.answer;
    },
  };
}
