/**
 * Sends one booking write to VDX Booking Module API v2 and says what became of it, in the
 * terms the outbox needs: confirmed, refused for good, or unknown (try again, same identity).
 *
 * VDX does not promise that a repeated POST with the same uuid is harmless: the spec lists
 * "input parameter that should be unique is not unique" under 400. So a create whose first
 * attempt may have landed (an answer lost, a 5xx, a console killed mid-request) first asks
 * `GET /v2/meetings/{uuid}`: found means confirmed, 404 means send it again. A 400 on a
 * create is also checked that way before it is called a refusal, so a write VDX committed
 * is never reported as refused. A move (PUT) carries the whole meeting and a cancel
 * (DELETE) names it, so both may simply be sent again; a cancel answered 404 is done.
 *
 * Nothing personal is logged: the uuid, the HTTP status and VDX's error code only.
 */
import { formatVdxDateTime } from '../../../common/days';
import type { Logger } from '../../log/logger';
import type { TokenProvider } from '../vdx-client';
import type { BookingOptions } from '../../../preload/contract';
import { VdxError, VdxMeeting, VdxSchedulingTemplate } from '../vdx-schemas';
import type { BookingWrite, ConfirmedMeeting, Refusal, RefusalCode, WriteOutcome } from './write-types';

export interface VdxWriterOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: Logger;
  /** Who is signed in (the token's user), to tell our own meeting from another's. */
  userEmail: () => string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface BookingWriter {
  /** One attempt. `maybeLanded`: an earlier attempt of this write may have reached VDX. */
  send(write: BookingWrite, maybeLanded: boolean): Promise<WriteOutcome>;
  /** Whether this account may book, and the organisation's templates (GET /v2/scheduling-templates). */
  options(): Promise<BookingOptions>;
}

interface Answer {
  status: number;
  body: unknown;
}

type Attempt = { ok: true; answer: Answer } | { ok: false; outcome: WriteOutcome };

export function createVdxWriter(opts: VdxWriterOptions): BookingWriter {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const doFetch = opts.fetch ?? fetch;

  /** One request, with one fresh-token retry after a 401 (as the reading client does). */
  async function request(method: string, path: string, body?: unknown): Promise<Attempt> {
    let refreshed = false;
    for (;;) {
      let token: string;
      try {
        token = await opts.tokens.getAccessToken({ forceRefresh: refreshed });
      } catch {
        return { ok: false, outcome: { kind: 'retry', reason: 'unauthorized' } };
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(base + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/hal+json, application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...({ cache: 'no-store' } as RequestInit),
          signal: timeout,
        });
        text = await response.text();
      } catch {
        return { ok: false, outcome: { kind: 'retry', reason: timeout.aborted ? 'timeout' : 'offline' } };
      }
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        continue;
      }
      if (response.status >= 500) return { ok: false, outcome: { kind: 'retry', reason: 'server', status: response.status } };
      let parsed: unknown = null;
      if (text) {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          // A 2xx that is not JSON is not a confirmation we can read: treat as unknown.
          if (response.ok) return { ok: false, outcome: { kind: 'retry', reason: 'server', status: response.status } };
        }
      }
      return { ok: true, answer: { status: response.status, body: parsed } };
    }
  }

  function refused(code: RefusalCode, answer: Answer): WriteOutcome {
    const error = VdxError.safeParse(answer.body);
    const vdxCode = error.success && error.data.detailed_error_code !== undefined ? String(error.data.detailed_error_code) : undefined;
    const refusal: Refusal = { code, status: answer.status, ...(vdxCode ? { vdxCode } : {}) };
    return { kind: 'refused', refusal };
  }

  /** 401 (after a fresh token) and 403 both mean this account may not do it. */
  function refusalFor(answer: Answer): WriteOutcome {
    const s = answer.status;
    if (s === 401 || s === 403) return refused('forbidden', answer);
    if (s === 404) return refused('gone', answer);
    if (s === 406) return refused('room-ready', answer);
    return refused('invalid', answer);
  }

  function confirmedMeeting(body: unknown): ConfirmedMeeting | null {
    const m = VdxMeeting.safeParse(body);
    if (!m.success) return null;
    return { id: m.data.uuid.toLowerCase(), shortId: m.data.shortId, startTime: new Date(m.data.startTime).toISOString(), endTime: new Date(m.data.endTime).toISOString() };
  }

  /** GET the meeting: ours and there, not there, or unknown. */
  async function lookUp(id: string): Promise<{ found: ConfirmedMeeting; ours: boolean } | 'absent' | WriteOutcome> {
    const got = await request('GET', `/v2/meetings/${encodeURIComponent(id)}`);
    if (!got.ok) return got.outcome;
    if (got.answer.status === 404) return 'absent';
    if (got.answer.status !== 200) return refusalFor(got.answer);
    const m = VdxMeeting.safeParse(got.answer.body);
    const found = confirmedMeeting(got.answer.body);
    if (!m.success || !found) return { kind: 'retry', reason: 'server', status: 200 };
    const me = opts.userEmail()?.toLowerCase();
    const organiser = (m.data.organizedBy.email ?? m.data.createdBy.email)?.toLowerCase();
    return { found, ours: !!me && organiser === me };
  }

  async function create(write: Extract<BookingWrite, { kind: 'create' }>, maybeLanded: boolean): Promise<WriteOutcome> {
    if (maybeLanded) {
      const seen = await lookUp(write.meetingId);
      if (seen !== 'absent') {
        if ('kind' in seen) return seen;
        return seen.ours ? { kind: 'confirmed', meeting: seen.found } : { kind: 'refused', refusal: { code: 'conflict', status: 200 } };
      }
    }
    const m = write.meeting;
    const body = {
      uuid: write.meetingId,
      subject: m.subject,
      startTime: formatVdxDateTime(new Date(m.startTime)),
      endTime: formatVdxDateTime(new Date(m.endTime)),
      ...(m.description !== undefined ? { description: m.description } : {}),
      ...(m.schedulingTemplateId !== undefined ? { schedulingTemplateId: m.schedulingTemplateId } : {}),
    };
    const sent = await request('POST', '/v2/meetings', body);
    if (!sent.ok) return sent.outcome;
    const { answer } = sent;
    if (answer.status === 200 || answer.status === 201) {
      return { kind: 'confirmed', meeting: confirmedMeeting(answer.body) ?? { id: write.meetingId, startTime: m.startTime, endTime: m.endTime } };
    }
    if (answer.status === 400) {
      // Perhaps "uuid not unique": an earlier attempt landed. Only VDX's copy can say.
      const seen = await lookUp(write.meetingId);
      if (seen === 'absent') return refusalFor(answer);
      if ('kind' in seen) return seen.kind === 'refused' ? refusalFor(answer) : seen;
      if (seen.ours) return { kind: 'confirmed', meeting: seen.found };
      return refused('conflict', answer);
    }
    return refusalFor(answer);
  }

  async function update(write: Extract<BookingWrite, { kind: 'update' }>): Promise<WriteOutcome> {
    const m = write.meeting;
    const startTime = formatVdxDateTime(new Date(m.startTime));
    const sent = await request('PUT', `/v2/meetings/${encodeURIComponent(write.meetingId)}`, {
      subject: m.subject,
      startTime,
      endTime: formatVdxDateTime(new Date(m.endTime)),
    });
    if (!sent.ok) return sent.outcome;
    if (sent.answer.status !== 200) return refusalFor(sent.answer);
    const meeting = confirmedMeeting(sent.answer.body);
    // VDX changes only the end of a meeting whose room is set up, and says so by
    // answering with the old start: the move did not happen.
    if (meeting && toSecond(meeting.startTime) !== toSecond(m.startTime)) {
      return { kind: 'refused', refusal: { code: 'room-ready', status: 200 } };
    }
    return { kind: 'confirmed', meeting };
  }

  async function remove(write: Extract<BookingWrite, { kind: 'delete' }>): Promise<WriteOutcome> {
    const sent = await request('DELETE', `/v2/meetings/${encodeURIComponent(write.meetingId)}`);
    if (!sent.ok) return sent.outcome;
    const s = sent.answer.status;
    // Gone is what a cancel wants, whoever (an earlier attempt, a colleague) removed it.
    if (s === 204 || s === 200 || s === 404) return { kind: 'confirmed', meeting: null };
    return refusalFor(sent.answer);
  }

  return {
    async options() {
      const got = await request('GET', '/v2/scheduling-templates');
      if (!got.ok) return { canBook: 'unreachable', templates: [] };
      const { status, body } = got.answer;
      if (status === 401 || status === 403) return { canBook: 'no-rights', templates: [] };
      if (status !== 200 || !Array.isArray(body)) return { canBook: 'unreachable', templates: [] };
      const templates = body
        .map((t) => VdxSchedulingTemplate.safeParse(t))
        .filter((t) => t.success && !t.data.isPoolTemplate)
        .map((t) => t.data!)
        .slice(0, 100)
        .map((t) => ({ id: t.id, isDefault: t.isDefaultTemplate === true, maxParticipants: t.maxParticipants, roomOpensMinutesBefore: t.vMRAvailableBefore }));
      // A role that may read templates but not book is only found out by booking (VDX has
      // no "may I" query): the refusal then says so.
      return { canBook: 'yes', templates };
    },

    async send(write, maybeLanded) {
      const outcome =
        write.kind === 'create' ? await create(write, maybeLanded) : write.kind === 'update' ? await update(write) : await remove(write);
      const detail =
        outcome.kind === 'refused'
          ? `refused ${outcome.refusal.code} HTTP ${outcome.refusal.status}${outcome.refusal.vdxCode ? ` code ${outcome.refusal.vdxCode}` : ''}`
          : outcome.kind === 'retry'
            ? `not confirmed (${outcome.reason}${outcome.status ? ` HTTP ${outcome.status}` : ''}); will retry`
            : 'confirmed';
      opts.log.info(`booking write: ${write.kind} ${write.meetingId} ${detail}`);
      return outcome;
    },
  };
}

/** VDX keeps whole seconds: compare instants at that resolution. */
function toSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
