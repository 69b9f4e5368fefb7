/**
 * VDX Booking Module API v2 as a BookingSource. A day costs two requests, whatever its size:
 *   - `GET /v2/meetings?from-start-time&to-start-time` for the meetings starting that day;
 *   - `GET /v2/scheduling-info?from-start-time&to-end-time&provision-status=PROVISIONED_OK`,
 *     the list form, for the rooms of every provisioned meeting around that day.
 * `GET /v2/scheduling-info/{uuid}` is asked only for a meeting the list did not cover and
 * that is new or changed since the last sync (a meeting not provisioned yet, whose details
 * the cache already has, costs nothing), or where the server does not offer the list form.
 * That answer also carries the room VDX assigned before setting it up: the signed-in user's
 * own meetings keep it (a planned room), so a visit next week can be invited to at once.
 *
 * A meeting that fails validation is counted and skipped, never allowed to spoil the rest
 * of the day. A 401 asks the token provider for a fresh token once and retries once.
 * Errors name the kind of failure and an HTTP status, never a subject, PIN or token.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatVdxDateTime, startOfDay, vdxDayRange } from '../../common/days';
import type { Logger } from '../log/logger';
import { BookingError, type BookedMeeting, type BookingSource, type DayFetch } from './booking-source';
import { VdxMeeting, VdxSchedulingInfo, type VdxSchedulingInfo as SchedulingInfo } from './vdx-schemas';

export interface TokenProvider {
  /** A current access token for the booking API. `forceRefresh` after a 401. */
  getAccessToken(opts?: { forceRefresh?: boolean }): Promise<string>;
}

export interface VdxClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: Logger;
  timeoutMs?: number;
  /** How many per-meeting scheduling-info requests run at once (when they are needed). */
  concurrency?: number;
  fetch?: typeof fetch;
  /** The signed-in user's e-mail, lower case: their own meetings keep a planned room (to invite to). */
  me?: () => string | null;
}

/**
 * The list form includes a meeting when its start minus vmrAvailableBefore (or its end) lies
 * in the interval: starting the interval this long before midnight covers every meeting of
 * the day whose room opens up to two hours early. Rooms that open earlier than that are
 * rare; they fall back to the per-meeting request.
 */
const LIST_LEAD_MARGIN_MS = 2 * 3600_000;

/** Statuses that carry a room to join; the console shows other meetings without Join. */
const JOINABLE_STATUS = 'PROVISIONED_OK';

/**
 * Statuses before the room is set up: VDX has assigned its address and PINs already (a meeting
 * on a later date), so the user's own meeting can be invited to, not joined.
 */
const PLANNED_STATUS = new Set<SchedulingInfo['provisionStatus']>(['AWAITS_PROVISION', 'STARTING_TO_PROVISION']);

/** Answers that mean "this server has no list form (or not for this role)". */
const NO_LIST_FORM = new Set([400, 403, 404, 405]);

export function createVdxSource(opts: VdxClientOptions): BookingSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const concurrency = opts.concurrency ?? 6;
  const doFetch = opts.fetch ?? fetch;
  const log = opts.log;
  const mine = (meeting: VdxMeeting) => {
    const me = opts.me?.();
    return !!me && organizerOf(meeting) === me;
  };
  let listFormMissingLogged = false;

  async function getJson(path: string, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
    let retried = false;
    for (;;) {
      const token = await opts.tokens.getAccessToken({ forceRefresh: retried });
      const timeout = AbortSignal.timeout(timeoutMs);
      const seconds = Math.round(timeoutMs / 1000);
      let response: Response;
      try {
        response = await doFetch(base + path, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/hal+json, application/json' },
          // Patients' names and PINs never enter Chromium's HTTP cache (net.fetch), which
          // outlives a sign-out; the offline copy is the encrypted schedule database only.
          // (Node's typings leave the standard `cache` out of RequestInit.)
          ...({ cache: 'no-store' } as RequestInit),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (timeout.aborted) throw new BookingError('timeout', { seconds });
        throw new BookingError('offline', {}, { cause: error });
      }
      if (response.status === 401 && !retried) {
        await response.body?.cancel();
        retried = true;
        continue;
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (timeout.aborted) throw new BookingError('timeout', { seconds });
        throw new BookingError('offline', {}, { cause: error });
      }
      if (response.status === 401) throw new BookingError('unauthorized');
      if (response.status >= 500) throw new BookingError('server', { status: response.status });
      if (response.status === 404) return { status: 404, body: null };
      if (!response.ok) return { status: response.status, body: null };
      try {
        return { status: response.status, body: JSON.parse(text) as unknown };
      } catch {
        throw new BookingError('invalid-response');
      }
    }
  }

  /** A refusal other than 404 (which callers read as "no such thing") is the server's answer to a bad request. */
  function refusedUnless(status: number, ok: number[]): void {
    if (status >= 400 && !ok.includes(status)) throw new BookingError('refused', { status });
  }

  async function schedulingInfo(uuid: string, signal?: AbortSignal): Promise<SchedulingInfo | null | 'invalid'> {
    const { status, body } = await getJson(`/v2/scheduling-info/${encodeURIComponent(uuid)}`, signal);
    refusedUnless(status, [404]);
    if (status === 404) return null;
    const parsed = VdxSchedulingInfo.safeParse(body);
    if (!parsed.success) return 'invalid';
    return parsed.data;
  }

  /**
   * The rooms of the day's provisioned meetings in one request, by uuid; uuids whose record
   * failed validation in `invalid`. Null when the server has no list form for us.
   */
  async function schedulingInfoList(day: string, signal?: AbortSignal): Promise<{ byId: Map<string, SchedulingInfo>; invalid: Set<string> } | null> {
    const { to } = vdxDayRange(day);
    const from = formatVdxDateTime(new Date(startOfDay(day).getTime() - LIST_LEAD_MARGIN_MS));
    const query = new URLSearchParams({ 'from-start-time': from, 'to-end-time': to, 'provision-status': JOINABLE_STATUS });
    const { status, body } = await getJson(`/v2/scheduling-info?${query}`, signal);
    if (NO_LIST_FORM.has(status)) {
      if (!listFormMissingLogged) log.warn(`vdx: the scheduling-info list form answered HTTP ${status}; asking per meeting instead`);
      listFormMissingLogged = true;
      return null;
    }
    refusedUnless(status, []);
    const list = z.array(z.unknown()).safeParse(body);
    if (!list.success) throw new BookingError('invalid-response');
    const byId = new Map<string, SchedulingInfo>();
    const invalid = new Set<string>();
    for (const item of list.data) {
      const parsed = VdxSchedulingInfo.safeParse(item);
      if (parsed.success) byId.set(parsed.data.uuid.toLowerCase(), parsed.data);
      else {
        const id = idOf(item);
        if (id) invalid.add(id.toLowerCase());
      }
    }
    return { byId, invalid };
  }

  return {
    async fetchDay(day, { known, signal } = {}) {
      const { from, to } = vdxDayRange(day);
      const query = new URLSearchParams({ 'from-start-time': from, 'to-start-time': to });
      // Both lists at once: the day's meetings and the rooms around it. The meetings are
      // validated as soon as they arrive, while the rooms are still on their way.
      const meetingsOfDay = getJson(`/v2/meetings?${query}`, signal).then((meetingList) => {
        refusedUnless(meetingList.status, []);
        const list = z.array(z.unknown()).safeParse(meetingList.body);
        if (!list.success) throw new BookingError('invalid-response');
        const invalid: string[] = [];
        const valid: VdxMeeting[] = [];
        list.data.forEach((item, index) => {
          const parsed = VdxMeeting.safeParse(item);
          if (parsed.success) valid.push(parsed.data);
          else invalid.push(idOf(item) ?? `#${index}`);
        });
        return { valid, invalid };
      });
      const [{ valid, invalid }, rooms] = await Promise.all([meetingsOfDay, schedulingInfoList(day, signal)]);

      const meetings: BookedMeeting[] = [];
      const askEach: VdxMeeting[] = [];
      for (const meeting of valid) {
        const id = meeting.uuid.toLowerCase();
        const version = versionOf(meeting);
        const info = rooms?.byId.get(id);
        const cached = known?.get(meeting.uuid) ?? known?.get(id);
        if (rooms?.invalid.has(id)) invalid.push(meeting.uuid);
        else if (info) meetings.push(toBooked(meeting, info, version, mine(meeting)));
        // Not provisioned when last asked, and unchanged since: nothing new to ask.
        else if (rooms && cached && cached.version === version && cached.room === null) meetings.push(cached);
        else askEach.push(meeting);
      }
      await mapBounded(askEach, concurrency, async (meeting) => {
        const info = await schedulingInfo(meeting.uuid, signal);
        if (info === 'invalid') invalid.push(meeting.uuid);
        else meetings.push(toBooked(meeting, info, versionOf(meeting), mine(meeting)));
      });
      if (invalid.length) log.warn(`vdx: ${invalid.length} meeting(s) failed validation on ${day}: ${invalid.join(', ')}`);
      // startTime is toISOString()'s fixed-width UTC form: comparing the strings compares the instants.
      meetings.sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : a.id.localeCompare(b.id)));
      return { meetings, invalid } satisfies DayFetch;
    },

    async findMeetingStart(ref) {
      const path =
        'uuid' in ref
          ? `/v2/meetings/${encodeURIComponent(ref.uuid)}`
          : `/v2/meetings?${new URLSearchParams({ 'short-id': ref.shortId })}`;
      const { status, body } = await getJson(path);
      if (status === 404) return null;
      refusedUnless(status, []);
      const candidate = Array.isArray(body) ? body[0] : body;
      const parsed = VdxMeeting.safeParse(candidate);
      return parsed.success ? new Date(parsed.data.startTime).toISOString() : null;
    },
  };
}

/**
 * What tells a changed meeting from an unchanged one: its update time where the server
 * gives one, and the fields the console shows. Hashed, so no subject sits in the marker.
 */
function versionOf(meeting: VdxMeeting): string {
  const updated = meeting.updatedTime;
  const fields = [meeting.startTime, meeting.endTime, meeting.subject, typeof updated === 'string' ? updated : ''];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
}

/** `mine`: organised by the signed-in user, who may invite to it before its room is set up. */
function toBooked(meeting: VdxMeeting, info: SchedulingInfo | null, version: string, mine: boolean): BookedMeeting {
  const leadMinutes = info?.vmrAvailableBefore ?? 0;
  const joinOpensAt = new Date(Date.parse(meeting.startTime) - leadMinutes * 60_000).toISOString();
  const provisioned = info?.provisionStatus === 'PROVISIONED_OK' && !!info.provisionVmrId;
  const organizer = organizerOf(meeting);
  return {
    id: meeting.uuid,
    version,
    shortId: meeting.shortId,
    subject: meeting.subject,
    startTime: new Date(meeting.startTime).toISOString(),
    endTime: new Date(meeting.endTime).toISOString(),
    joinOpensAt,
    ...(organizer ? { organizer } : {}),
    room:
      provisioned && info
        ? {
            id: info.provisionVmrId!,
            uri: info.uriWithDomain,
            guestPin: info.guestPin === undefined ? '' : String(info.guestPin),
            hostPin: info.hostPin === undefined ? '' : String(info.hostPin),
            ...(info.portalLink ? { portalLink: info.portalLink } : {}),
          }
        : null,
    ...(!provisioned && mine && info && PLANNED_STATUS.has(info.provisionStatus) && info.uriWithDomain
      ? {
          plannedRoom: {
            ...(info.provisionVmrId ? { id: info.provisionVmrId } : {}),
            uri: info.uriWithDomain,
            guestPin: info.guestPin === undefined ? '' : String(info.guestPin),
            ...(info.portalLink ? { portalLink: info.portalLink } : {}),
          },
        }
      : {}),
  };
}

function organizerOf(meeting: VdxMeeting): string | undefined {
  return (meeting.organizedBy.email ?? meeting.createdBy.email)?.toLowerCase();
}

/** A uuid, if the invalid item has one we can log (ids are not personal data). */
function idOf(item: unknown): string | undefined {
  const uuid = (item as { uuid?: unknown } | null)?.uuid;
  return typeof uuid === 'string' && /^[0-9a-f-]{36}$/i.test(uuid) ? uuid : undefined;
}

async function mapBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
