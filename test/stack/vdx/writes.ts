// The sandbox's write side of VDX Booking Module API v2: POST /v2/meetings, PUT and DELETE
// /v2/meetings/{uuid}, and GET /v2/scheduling-templates, as the spec describes them, plus
// fault switches for what a hospital network does to a write (the answer lost after VDX
// committed it).
//
// From the spec (vdx-booking-api-v2.yaml):
// - create-meeting / update-meeting bodies, validated field by field (400, code 10).
// - Template choice: a valid schedulingTemplateId, else the organisation's default (400,
//   code 26 for an unknown id).
// - PUT only while AWAITS_PROVISION or PROVISIONED_OK; once provisioned "only endTime will
//   be updated" (the rest is silently kept); otherwise 406 code 12.
// - DELETE only while AWAITS_PROVISION, else 406 code 13; 204 on success; 404 once deleted.
// - 403 when "the meeting requested is not organized by the user".
// - The write roles: meeting-admin, meeting-user, meeting-planner, meeting-provisioner-user
//   (meeting-provisioner may read but not write).
//
// Inferred (the spec does not say; each marked where it is decided below):
// - A role that may read but not write gets 403 (Spring Security's answer for an
//   authenticated user without the authority), not the spec's 401 wording.
// - A create with a uuid that was ever used (deleted meetings too) is 400 code 11 "not
//   unique", the spec's "input parameter that should be unique is not unique". So a retried
//   POST never makes a second meeting, and a client must look the uuid up to learn whether
//   its first attempt landed.
// - meeting-admin may change meetings others organised; everyone else only their own.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MeetingRecord } from './record';
import {
  createMeetingSchema,
  updateMeetingSchema,
  type DetailedErrorCode,
  type VdxMeetingJson,
  type VdxSchedulingTemplateJson,
} from './schema';
import { parseVdxDateTime } from './time';

/** What the network does to the next write(s); see setWriteFault. */
export type VdxWriteFault =
  /** VDX commits the write, then the connection is cut before any answer. */
  | 'commit-then-drop'
  /** VDX commits the write, then a proxy in front of it answers 503. */
  | 'commit-then-503'
  /** 503 before VDX sees the write (nothing committed). */
  | 'http503'
  /** VDX commits the write, and the answer never comes (until the client gives up or the sandbox stops). */
  | 'commit-then-hang';

export const WRITE_ROLES = new Set(['meeting-admin', 'meeting-user', 'meeting-planner', 'meeting-provisioner-user']);

/** What a create sets on a record (server.ts turns it into a MeetingRecord). */
export type BookingFields = Pick<
  MeetingRecord,
  'uuid' | 'subject' | 'description' | 'start' | 'end' | 'organizerEmail' | 'labels' | 'maxParticipants' | 'endMeetingOnEndTime' | 'vmrAvailableBefore'
>;

export interface WriteDeps {
  organisationId: string;
  baseUrl: string;
  meetings: Map<string, MeetingRecord>;
  templates: () => VdxSchedulingTemplateJson[];
  newRecord(fields: BookingFields): MeetingRecord;
  meetingJson(m: MeetingRecord): VdxMeetingJson;
  /** Provision the room now if its validity window is open (lazy rooms). */
  provisionIfOpen(m: MeetingRecord): Promise<void>;
  destroyRoom(m: MeetingRecord): Promise<void>;
  /** Keeps a response open with no answer (stop() and setDown cut it). */
  hold(res: ServerResponse): void;
  sendJson(res: ServerResponse, status: number, body: unknown, type: string): void;
  sendError(res: ServerResponse, status: number, path: string, detail: string, code?: DetailedErrorCode): void;
}

export interface WriteRoutes {
  create(req: IncomingMessage, res: ServerResponse, path: string, claims: Claims): Promise<void>;
  update(req: IncomingMessage, res: ServerResponse, path: string, claims: Claims, uuid: string): Promise<void>;
  remove(res: ServerResponse, path: string, claims: Claims, uuid: string): Promise<void>;
  templates(res: ServerResponse): void;
  /** The next `times` writes meet `fault` (null clears every armed fault). */
  setFault(fault: VdxWriteFault | null, times?: number): void;
  /** The next writes meet these, one each, in order (null: that write goes through). */
  queueFaults(faults: readonly (VdxWriteFault | null)[]): void;
  /** Every uuid a create has used, deleted meetings' included (a create may not reuse one). */
  readonly usedUuids: ReadonlySet<string>;
  /** Writes VDX committed, by kind: what a test compares with what the client believes. */
  readonly committed: { create: number; update: number; delete: number };
}

/** The access token's verified claims (roles: the VDX role claim; preferred_username: who). */
type Claims = Readonly<Record<string, unknown>>;

const MAX_BODY_BYTES = 64 * 1024;

export function writeRoutes(deps: WriteDeps): WriteRoutes {
  const usedUuids = new Set<string>();
  const committed = { create: 0, update: 0, delete: 0 };
  let faults: (VdxWriteFault | null)[] = [];

  /** Takes the next armed fault, if any. */
  function nextFault(): VdxWriteFault | null {
    return faults.shift() ?? null;
  }

  /** Answers after a commit, or loses the answer as the armed fault says. */
  function answer(res: ServerResponse, path: string, shot: VdxWriteFault | null, send: () => void): void {
    if (shot === 'commit-then-drop') {
      res.socket?.destroy();
      return;
    }
    if (shot === 'commit-then-hang') {
      deps.hold(res);
      return;
    }
    if (shot === 'commit-then-503') {
      deps.sendError(res, 503, path, 'Service Unavailable (sandbox fault, after commit)');
      return;
    }
    send();
  }

  function roles(claims: Claims): string[] {
    const r = claims['roles'];
    return Array.isArray(r) ? r.filter((r): r is string => typeof r === 'string') : [];
  }

  function mayWrite(claims: Claims): boolean {
    return roles(claims).some((r) => WRITE_ROLES.has(r));
  }

  /** A role that may read but not write: 403 (inferred, see the top). True when refused. */
  function refusedRole(res: ServerResponse, path: string, claims: Claims): boolean {
    if (mayWrite(claims)) return false;
    deps.sendError(res, 403, path, 'The role of the user may not use the request');
    return true;
  }

  /** The armed fault that fails a write before VDX commits it. True when it did. */
  function failedBeforeCommit(res: ServerResponse, path: string, shot: VdxWriteFault | null): boolean {
    if (shot !== 'http503') return false;
    deps.sendError(res, 503, path, 'Service Unavailable (sandbox fault)');
    return true;
  }

  function userEmail(claims: Claims): string {
    const who = claims['preferred_username'];
    return typeof who === 'string' ? who.toLowerCase() : '';
  }

  async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; detail: string }> {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return { ok: false, detail: `Content type '${type}' not supported` };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return { ok: false, detail: 'Request body too large' };
      chunks.push(chunk);
    }
    try {
      return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
    } catch {
      return { ok: false, detail: 'JSON parse error: the request body is not valid JSON' };
    }
  }

  /** The first zod issue as the detailed error a Spring validator writes ("field: message"). */
  function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
    const issue = error.issues[0];
    return issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'Input validation error';
  }

  function times(start: string, end: string): { ok: true; start: Date; end: Date } | { ok: false; detail: string; code: DetailedErrorCode } {
    const s = parseVdxDateTime(start);
    if (!s.ok) return { ok: false, detail: s.message, code: s.code };
    const e = parseVdxDateTime(end);
    if (!e.ok) return { ok: false, detail: e.message, code: e.code };
    if (e.date <= s.date) return { ok: false, detail: 'endTime: must be after startTime', code: '10' };
    return { ok: true, start: s.date, end: e.date };
  }

  /** Guards shared by PUT and DELETE: the meeting exists and this user may change it. */
  function owned(res: ServerResponse, path: string, claims: Claims, uuid: string): MeetingRecord | null {
    const m = deps.meetings.get(uuid.toLowerCase());
    if (!m) {
      deps.sendError(res, 404, path, `No meeting with uuid ${uuid}`);
      return null;
    }
    if (!roles(claims).includes('meeting-admin') && m.organizerEmail.toLowerCase() !== userEmail(claims)) {
      deps.sendError(res, 403, path, 'The meeting requested is not organized by the user');
      return null;
    }
    return m;
  }

  return {
    usedUuids,
    committed,
    setFault(kind, n = 1) {
      faults = kind ? Array.from({ length: n }, () => kind) : [];
    },
    queueFaults(list) {
      faults.push(...list);
    },

    templates(res) {
      const body = deps.templates().map((t) => ({ ...t, _links: { self: { href: `${deps.baseUrl}/v2/scheduling-templates/${t.id}` } } }));
      deps.sendJson(res, 200, body, 'application/hal+json');
    },

    async create(req, res, path, claims) {
      if (refusedRole(res, path, claims)) return;
      const body = await readJson(req);
      if (!body.ok) {
        deps.sendError(res, 400, path, body.detail, '10');
        return;
      }
      const parsed = createMeetingSchema.safeParse(body.value);
      if (!parsed.success) {
        deps.sendError(res, 400, path, firstIssue(parsed.error), '10');
        return;
      }
      const input = parsed.data;
      const when = times(input.startTime, input.endTime);
      if (!when.ok) {
        deps.sendError(res, 400, path, when.detail, when.code);
        return;
      }
      if (input.meetingType === 'POOL') {
        deps.sendError(res, 400, path, `Unused scheduling information not found for organisation ${deps.organisationId}`, '20');
        return;
      }
      const templates = deps.templates();
      const template =
        input.schedulingTemplateId !== undefined
          ? templates.find((t) => t.id === input.schedulingTemplateId)
          : templates.find((t) => t.isDefaultTemplate);
      if (!template) {
        deps.sendError(res, 400, path, `Scheduling template ${input.schedulingTemplateId ?? '(default)'} not found.`, '26');
        return;
      }
      const uuid = (input.uuid ?? randomUUID()).toLowerCase();
      if (usedUuids.has(uuid) || deps.meetings.has(uuid)) {
        // Inferred: the spec's "input parameter that should be unique is not unique".
        deps.sendError(res, 400, path, `uuid: ${uuid} is not unique`, '11');
        return;
      }
      const shot = nextFault();
      if (failedBeforeCommit(res, path, shot)) return;
      const m = deps.newRecord({
        uuid,
        subject: input.subject,
        description: input.description ?? '',
        start: when.start,
        end: when.end,
        organizerEmail: (input.organizedByEmail ?? userEmail(claims)).toLowerCase(),
        labels: input.labels ?? [],
        maxParticipants: input.maxParticipants ?? template.maxParticipants,
        endMeetingOnEndTime: input.endMeetingOnEndTime ?? template.endMeetingOnEndTime,
        vmrAvailableBefore: template.vMRAvailableBefore,
      });
      usedUuids.add(uuid);
      deps.meetings.set(uuid, m);
      committed.create++;
      await deps.provisionIfOpen(m);
      answer(res, path, shot, () => deps.sendJson(res, 200, deps.meetingJson(m), 'application/hal+json'));
    },

    async update(req, res, path, claims, uuid) {
      if (refusedRole(res, path, claims)) return;
      const body = await readJson(req);
      if (!body.ok) {
        deps.sendError(res, 400, path, body.detail, '10');
        return;
      }
      const parsed = updateMeetingSchema.safeParse(body.value);
      if (!parsed.success) {
        deps.sendError(res, 400, path, firstIssue(parsed.error), '10');
        return;
      }
      const when = times(parsed.data.startTime, parsed.data.endTime);
      if (!when.ok) {
        deps.sendError(res, 400, path, when.detail, when.code);
        return;
      }
      const m = owned(res, path, claims, uuid);
      if (!m) return;
      if (m.provisionStatus !== 'AWAITS_PROVISION' && m.provisionStatus !== 'PROVISIONED_OK') {
        deps.sendError(res, 406, path, 'Meeting must have status AWAITS_PROVISION (0) or PROVISIONED_OK (3) in order to be updated', '12');
        return;
      }
      const shot = nextFault();
      if (failedBeforeCommit(res, path, shot)) return;
      if (m.provisionStatus === 'PROVISIONED_OK') {
        // The spec: "In the later case only endTime will be updated." The answer then shows
        // the old start, which is how a client learns the move did not happen.
        if (when.end > m.start) m.end = when.end;
      } else {
        m.subject = parsed.data.subject;
        if (parsed.data.description !== undefined) m.description = parsed.data.description;
        if (parsed.data.labels !== undefined) m.labels = [...parsed.data.labels];
        m.start = when.start;
        m.end = when.end;
      }
      m.updated = new Date(Math.floor(Date.now() / 1000) * 1000);
      committed.update++;
      await deps.provisionIfOpen(m);
      answer(res, path, shot, () => deps.sendJson(res, 200, deps.meetingJson(m), 'application/hal+json'));
    },

    async remove(res, path, claims, uuid) {
      if (refusedRole(res, path, claims)) return;
      const m = owned(res, path, claims, uuid);
      if (!m) return;
      if (m.provisionStatus !== 'AWAITS_PROVISION') {
        deps.sendError(res, 406, path, 'Meeting must have status AWAITS_PROVISION (0) in order to be deleted', '13');
        return;
      }
      const shot = nextFault();
      if (failedBeforeCommit(res, path, shot)) return;
      deps.meetings.delete(m.uuid);
      committed.delete++;
      await deps.destroyRoom(m);
      answer(res, path, shot, () => {
        res.writeHead(204);
        res.end();
      });
    },
  };
}
