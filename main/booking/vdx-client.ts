/**
 * VDX Booking Module API v2 as a BookingSource: `GET /v2/meetings` for a local day, then
 * `GET /v2/scheduling-info/{uuid}` per meeting with bounded concurrency.
 *
 * A meeting that fails validation is counted and skipped, never allowed to spoil the rest
 * of the day. A 401 asks the token provider for a fresh token once and retries once.
 * Errors name the kind of failure and an HTTP status, never a subject, PIN or token.
 */
import { z } from 'zod';
import { vdxDayRange } from '../../common/days';
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
  /** How many scheduling-info requests run at once. */
  concurrency?: number;
  fetch?: typeof fetch;
}

export function createVdxSource(opts: VdxClientOptions): BookingSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const concurrency = opts.concurrency ?? 6;
  const doFetch = opts.fetch ?? fetch;
  const log = opts.log;

  async function getJson(path: string, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
    let retried = false;
    for (;;) {
      const token = await opts.tokens.getAccessToken({ forceRefresh: retried });
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await doFetch(base + path, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/hal+json, application/json' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (timeout.aborted) throw new BookingError('timeout', `The booking service did not answer within ${timeoutMs / 1000} s.`);
        throw new BookingError('offline', 'The booking service cannot be reached.', { cause: error });
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
        if (timeout.aborted) throw new BookingError('timeout', `The booking service did not answer within ${timeoutMs / 1000} s.`);
        throw new BookingError('offline', 'The connection to the booking service broke.', { cause: error });
      }
      if (response.status === 401) throw new BookingError('unauthorized', 'The booking service did not accept the sign-in.');
      if (response.status >= 500) throw new BookingError('server', `The booking service failed (HTTP ${response.status}).`);
      if (response.status === 404) return { status: 404, body: null };
      if (!response.ok) throw new BookingError('server', `The booking service refused the request (HTTP ${response.status}).`);
      try {
        return { status: response.status, body: JSON.parse(text) as unknown };
      } catch {
        throw new BookingError('invalid-response', 'The booking service sent a response that is not valid JSON.');
      }
    }
  }

  async function schedulingInfo(uuid: string, signal?: AbortSignal): Promise<SchedulingInfo | null | 'invalid'> {
    const { status, body } = await getJson(`/v2/scheduling-info/${encodeURIComponent(uuid)}`, signal);
    if (status === 404) return null;
    const parsed = VdxSchedulingInfo.safeParse(body);
    if (!parsed.success) return 'invalid';
    return parsed.data;
  }

  return {
    async fetchDay(day, signal) {
      const { from, to } = vdxDayRange(day);
      const query = new URLSearchParams({ 'from-start-time': from, 'to-start-time': to });
      const { body } = await getJson(`/v2/meetings?${query}`, signal);
      const list = z.array(z.unknown()).safeParse(body);
      if (!list.success) throw new BookingError('invalid-response', 'The booking service sent a meeting list in an unexpected shape.');

      const invalid: string[] = [];
      const valid: VdxMeeting[] = [];
      list.data.forEach((item, index) => {
        const parsed = VdxMeeting.safeParse(item);
        if (parsed.success) valid.push(parsed.data);
        else invalid.push(idOf(item) ?? `#${index}`);
      });

      const meetings: BookedMeeting[] = [];
      await mapBounded(valid, concurrency, async (meeting) => {
        const info = await schedulingInfo(meeting.uuid, signal);
        if (info === 'invalid') {
          invalid.push(meeting.uuid);
          return;
        }
        meetings.push(toBooked(meeting, info));
      });
      if (invalid.length) log.warn(`vdx: ${invalid.length} meeting(s) failed validation on ${day}: ${invalid.join(', ')}`);
      meetings.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id));
      return { meetings, invalid } satisfies DayFetch;
    },

    async findMeetingStart(ref) {
      const path =
        'uuid' in ref
          ? `/v2/meetings/${encodeURIComponent(ref.uuid)}`
          : `/v2/meetings?${new URLSearchParams({ 'short-id': ref.shortId })}`;
      const { status, body } = await getJson(path);
      if (status === 404) return null;
      const candidate = Array.isArray(body) ? body[0] : body;
      const parsed = VdxMeeting.safeParse(candidate);
      return parsed.success ? new Date(parsed.data.startTime).toISOString() : null;
    },
  };
}

function toBooked(meeting: VdxMeeting, info: SchedulingInfo | null): BookedMeeting {
  const leadMinutes = info?.vmrAvailableBefore ?? 0;
  const joinOpensAt = new Date(Date.parse(meeting.startTime) - leadMinutes * 60_000).toISOString();
  const provisioned = info?.provisionStatus === 'PROVISIONED_OK' && !!info.provisionVmrId;
  return {
    id: meeting.uuid,
    shortId: meeting.shortId,
    subject: meeting.subject,
    startTime: new Date(meeting.startTime).toISOString(),
    endTime: new Date(meeting.endTime).toISOString(),
    joinOpensAt,
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
  };
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
