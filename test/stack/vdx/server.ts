// A sandbox of MedCom's VDX Booking Module API v2: the read paths the console uses, served
// faithfully to the spec (shapes, content types, status codes, error bodies), behind real
// bearer-token checks against the local identity provider's JWKS.
//
// Plain node:http: four GET routes do not justify a framework, and owning the socket
// handling makes the fault modes (hang, truncated body) and a clean stop straightforward.
import { createRemoteJWKSet, customFetch, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trustingFetch } from '../ca';
import type { RoomProvisioner, RoomSpec } from './provisioners';
import type { MeetingRecord } from './record';
import { provisionStatusSchema } from './schema';
import type {
  DetailedErrorCode,
  ProvisionStatus,
  VdxDetailedErrorJson,
  VdxInfoJson,
  VdxMeetingJson,
  VdxSchedulingInfoJson,
} from './schema';
import { DEFAULT_VMR_AVAILABLE_BEFORE_MIN, seedMeetings, type SeedOptions } from './seed';
import { formatVdxDateTime, localDayBounds, parseVdxDateTime, toSecond } from './time';
import { sandboxTemplates } from './templates';
import { writeRoutes, type BookingFields, type VdxWriteFault } from './writes';

export type VdxFault =
  | 'http500'
  /** The request is held open with no answer until the client gives up (or stop()). */
  | 'timeout'
  /** 200 with a truncated JSON body. */
  | 'malformed-json'
  /** One meeting (the first of a list, or the one asked for) breaks the meeting schema. */
  | 'invalid-meeting'
  /** scheduling-info answers break the scheduling-info schema. */
  | 'invalid-scheduling-info'
  /** 401 with the spec's error body whatever the token, as for a token the server revoked. */
  | 'unauthorized';

/** Which routes a fault hits. 'meetings' covers /v2/meetings and /v2/meetings/{uuid}. */
export type VdxFaultScope = 'all' | 'info' | 'meetings' | 'scheduling-info';

export interface MeetingInput {
  uuid?: string;
  shortId?: string;
  subject?: string;
  description?: string;
  /** Date or a v2 date-time string. Default: 30 minutes from now. */
  startTime?: Date | string;
  /** Default: 30 minutes after startTime. */
  endTime?: Date | string;
  organizerEmail?: string;
  labels?: string[];
  hostPin?: number;
  guestPin?: number;
  vmrAvailableBefore?: number;
  maxParticipants?: number;
  endMeetingOnEndTime?: boolean;
  /** Pins the provision status (provisioning is then skipped for this meeting). */
  provisionStatus?: ProvisionStatus;
  /** Which conference platform gets the room (default: Janus, or the only one there is). */
  platform?: 'janus' | 'pexip';
}

/** What a request asked for, for counting the cost of a client (see requestCounts). */
export type VdxRouteKind =
  | 'info'
  | 'meetings'
  | 'meeting'
  | 'scheduling-info'
  | 'scheduling-info-list'
  | 'scheduling-templates'
  | 'unknown';

export interface VdxRequestLogEntry {
  method: string;
  route: VdxRouteKind;
  /** Path without the query string, e.g. /v2/meetings */
  path: string;
  /** Raw query string including '?', or '' */
  query: string;
  /** When it arrived (ms since the epoch): how far apart a client's requests come. */
  at: number;
  /** Set when the answer was sent; undefined while a request hangs. */
  status?: number;
  /** The request's Cache-Control header, if any (fetch's `cache: 'no-store'` sends `no-cache`). */
  cacheControl?: string;
}

export interface StartVdxOptions {
  idp: {
    issuer: string;
    jwksUri: string;
    /** Expected `aud` of access tokens (the IdP's resource indicator). */
    audience: string;
    /** When set, the token's `scope` must include it. */
    scope?: string;
  };
  /** CA that signed the IdP's certificate; the JWKS is fetched trusting exactly it. */
  caCertPem: string;
  /**
   * Where meetings' rooms are provisioned: Janus (through the room guard) and/or Pexip.
   * Without any, rooms are reported provisioned at once and exist nowhere.
   */
  provisioners?: RoomProvisioner[];
  /** Seed layout (see seed.ts), or false for an empty sandbox. */
  seed?: SeedOptions | false;
  /** Domain part of uriWithDomain for meetings on no platform. Default video.sandbox.test */
  domain?: string;
  organisationId?: string;
  /** Allowed clock skew when checking exp/nbf. Default 0 so expiry tests are exact. */
  clockToleranceSeconds?: number;
  /** Demo people who organise the seeded meetings. */
  organizers?: { clinicianEmail: string; nurseEmail: string };
}

export interface VdxHandle {
  /** http://127.0.0.1:PORT — baseUrl + '/v2/meetings' is the meetings endpoint. */
  baseUrl: string;
  addMeeting(input?: MeetingInput): VdxMeetingJson;
  updateMeeting(uuid: string, patch: MeetingInput): VdxMeetingJson;
  /** Removes the meeting (then 404); destroys its Janus room best-effort. */
  deleteMeeting(uuid: string): Promise<boolean>;
  setFault(fault: VdxFault | null, scope?: VdxFaultScope): void;
  /** The next `times` (default 1) writes meet `fault`: e.g. committed, then the answer lost. */
  setWriteFault(fault: VdxWriteFault | null, times?: number): void;
  /** The next writes meet these faults, one each, in order (null: that one goes through). */
  queueWriteFaults(faults: readonly (VdxWriteFault | null)[]): void;
  /** Writes VDX committed so far, by kind (a retried write that landed twice would show here). */
  readonly committedWrites: Readonly<{ create: number; update: number; delete: number }>;
  /** Every uuid a meeting ever had here, deleted ones included. */
  readonly usedUuids: ReadonlySet<string>;
  /** false: answer the list form of scheduling-info with 404, as a server without it would. */
  setListForm(available: boolean): void;
  /** Network down: while true every connection is cut at once (reset), open ones included. */
  setDown(down: boolean): void;
  /** Meetings starting on a local calendar day (Date or YYYY-MM-DD), as the API serves them, by start time. */
  meetingsOn(day: Date | string): VdxMeetingJson[];
  allMeetings(): VdxMeetingJson[];
  getMeeting(uuid: string): VdxMeetingJson | undefined;
  /** The platform a meeting's room is on (null: none, when the sandbox provisions nowhere). */
  platformOf(uuid: string): 'janus' | 'pexip' | null;
  /** The scheduling info as the API would serve it now (PINs, room id, status). Throws for an unknown uuid. */
  schedulingInfo(uuid: string): VdxSchedulingInfoJson;
  /** Provisions (or re-checks) rooms now; all meetings when no ids are given. */
  provisionRooms(uuids?: string[]): Promise<Record<string, ProvisionStatus>>;
  /** Every request received: method and path (+ query) and Cache-Control only, never other headers or bodies. */
  readonly requestLog: readonly VdxRequestLogEntry[];
  /** How many requests of each kind were received since the log was last cleared. */
  requestCounts(): Record<VdxRouteKind, number>;
  clearRequestLog(): void;
  stop(): Promise<void>;
}

/** The role claim values the spec accepts for the read endpoints. */
const READ_ROLES = new Set([
  'meeting-admin',
  'meeting-user',
  'meeting-planner',
  'meeting-provisioner',
  'meeting-provisioner-user',
]);

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SHORT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';


/**
 * PINs of eight digits (VDX's are int32). Long enough that no port, year, duration or
 * timestamp group in a log line can equal one by chance, so the privacy audit's search for
 * PINs never fires on an innocent number (scripts/privacy-scan.mjs).
 */
function randomPin(): number {
  return randomInt(10_000_000, 100_000_000);
}

function toDate(v: Date | string, what: string): Date {
  if (v instanceof Date) return toSecond(v);
  const parsed = parseVdxDateTime(v);
  if (!parsed.ok) throw new Error(`${what}: ${parsed.message}`);
  return parsed.date;
}

export async function startVdx(opts: StartVdxOptions): Promise<VdxHandle> {
  const organisationId = opts.organisationId ?? 'demo-hospital';
  const domain = opts.domain ?? 'video.sandbox.test';
  const organizers = opts.organizers ?? {
    clinicianEmail: 'dr.demo@example.org',
    nurseEmail: 'nurse.demo@example.org',
  };
  const meetings = new Map<string, MeetingRecord>();
  const log: VdxRequestLogEntry[] = [];
  let fault: { kind: VdxFault; scope: VdxFaultScope } | null = null;
  let listForm = true;
  const platforms = new Map((opts.provisioners ?? []).map((p) => [p.platform, p]));
  const rooms = platforms.size > 0 ? platforms : undefined;
  const provisionerOf = (m: MeetingRecord) => (m.platform ? platforms.get(m.platform) : undefined);
  const domainOf = (m: MeetingRecord) => provisionerOf(m)?.domain ?? domain;
  const specOf = (m: MeetingRecord): RoomSpec => ({
    room: m.vmrId,
    uri: `${m.vmrId}@${domainOf(m)}`,
    hostPin: String(m.hostPin),
    guestPin: String(m.guestPin),
    publishers: m.maxParticipants,
  });
  const provisioning = new Map<string, Promise<void>>();

  // jose fetches the JWKS with global fetch, which does not know our per-run CA; hand it
  // a fetch that trusts exactly that CA. The keys are fetched now and kept for good (the
  // test IdP never rotates its key; an unknown kid still triggers a refetch), so tests that
  // take the IdP down do not turn valid tokens into 401s at the booking API.
  const jwks = createRemoteJWKSet(new URL(opts.idp.jwksUri), {
    [customFetch]: trustingFetch(opts.caCertPem) as unknown as typeof fetch,
    timeoutDuration: 3000,
    cacheMaxAge: Infinity,
  });
  await jwks.reload().catch(() => undefined); // an IdP not up yet is retried on first use

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // "Network down": the port still accepts (the OS does that) but every socket is cut
  // before a byte is read, as a dropped link or a dead proxy looks to the client.
  let down = false;
  server.on('connection', (socket) => {
    if (down) socket.destroy();
  });

  // ------------------------------------------------------------------ records

  function newShortId(): string {
    for (;;) {
      const bytes = randomBytes(12);
      const id = [...bytes].map((b) => SHORT_ID_ALPHABET[b % SHORT_ID_ALPHABET.length]).join('');
      if (![...meetings.values()].some((m) => m.shortId === id)) return id;
    }
  }

  function makeRecord(input: MeetingInput): MeetingRecord {
    const now = toSecond(new Date());
    const start = input.startTime !== undefined ? toDate(input.startTime, 'startTime') : new Date(now.getTime() + 30 * 60_000);
    const end = input.endTime !== undefined ? toDate(input.endTime, 'endTime') : new Date(start.getTime() + 30 * 60_000);
    if (end <= start) throw new Error('endTime must be after startTime');
    const uuid = (input.uuid ?? randomUUID()).toLowerCase();
    if (!UUID.test(uuid)) throw new Error(`not a uuid: ${uuid}`);
    if (meetings.has(uuid)) throw new Error(`meeting ${uuid} exists`);
    const shortId = input.shortId ?? newShortId();
    if (shortId.length !== 12) throw new Error('shortId must be 12 characters');
    const hostPin = input.hostPin ?? randomPin();
    let guestPin = input.guestPin ?? randomPin();
    // Different PINs, so a test can tell the host's path from a guest's.
    while (guestPin === hostPin) guestPin = randomPin();
    const pinned = input.provisionStatus !== undefined;
    return {
      uuid,
      shortId,
      subject: input.subject ?? `Video consultation (demo ${meetings.size + 1})`,
      description: input.description ?? 'Invented appointment for testing only.',
      start,
      end,
      organizerEmail: input.organizerEmail ?? organizers.clinicianEmail,
      labels: input.labels ?? ['sandbox'],
      created: now,
      updated: now,
      hostPin,
      guestPin,
      vmrAvailableBefore: input.vmrAvailableBefore ?? DEFAULT_VMR_AVAILABLE_BEFORE_MIN,
      maxParticipants: input.maxParticipants ?? 6,
      endMeetingOnEndTime: input.endMeetingOnEndTime ?? true,
      vmrId: randomBytes(16).toString('hex'),
      platform: platforms.size === 0 ? null : platforms.has(input.platform ?? 'janus') ? (input.platform ?? 'janus') : ([...platforms.keys()][0] ?? null),
      // Without a conference server to provision, the sandbox reports rooms as VDX would
      // once its own provisioning ran; with Janus, the real outcome decides.
      provisionStatus: input.provisionStatus ?? (rooms ? 'AWAITS_PROVISION' : 'PROVISIONED_OK'),
      ...(rooms || pinned ? {} : { provisionTimestamp: now }),
      statusPinned: pinned,
    };
  }

  function user(email: string) {
    return { organisationId, email };
  }

  function meetingJson(m: MeetingRecord): VdxMeetingJson {
    const shortLink = `https://m.${domain}/${m.shortId}`;
    return {
      subject: m.subject,
      uuid: m.uuid,
      createdBy: user(m.organizerEmail),
      updatedBy: user(m.organizerEmail),
      organizedBy: user(m.organizerEmail),
      startTime: formatVdxDateTime(m.start),
      endTime: formatVdxDateTime(m.end),
      description: m.description,
      createdTime: formatVdxDateTime(m.created),
      updatedTime: formatVdxDateTime(m.updated),
      shortId: m.shortId,
      // The spec lists both spellings; servers send both.
      shortLink,
      shortlink: shortLink,
      guestMicrophone: 'on',
      guestPinRequired: false,
      labels: [...m.labels],
      _links: {
        self: { href: `${baseUrl}/v2/meetings/${m.uuid}` },
        'scheduling-info': { href: `${baseUrl}/v2/scheduling-info/${m.uuid}` },
      },
      additionalInformation: [],
    };
  }

  function schedulingInfoJson(m: MeetingRecord): VdxSchedulingInfoJson {
    const uriWithDomain = `${m.vmrId}@${domainOf(m)}`;
    const startLocal = formatVdxDateTime(m.start).slice(0, 19);
    const shortLink = `https://m.${domain}/${m.shortId}`;
    return {
      uuid: m.uuid,
      hostPin: m.hostPin,
      guestPin: m.guestPin,
      vmrAvailableBefore: m.vmrAvailableBefore,
      maxParticipants: m.maxParticipants,
      endMeetingOnEndTime: m.endMeetingOnEndTime,
      uriWithDomain,
      uriWithoutDomain: m.vmrId,
      provisionStatus: m.provisionStatus,
      ...(m.provisionStatusDescription ? { provisionStatusDescription: m.provisionStatusDescription } : {}),
      portalLink: `https://portal.${domain}/?url=${uriWithDomain}&pin=${m.guestPin}&start_dato=${startLocal}`,
      ...(m.provisionTimestamp ? { provisionTimestamp: formatVdxDateTime(m.provisionTimestamp) } : {}),
      provisionVmrId: m.vmrId,
      vmrType: 'conference',
      hostView: 'one_main_seven_pips',
      guestView: 'one_main_seven_pips',
      vmrQuality: 'hd',
      enableOverlayText: true,
      guestsCanPresent: true,
      forcePresenterIntoMain: true,
      forceEncryption: false,
      muteAllGuests: false,
      createdBy: user(m.organizerEmail),
      updatedBy: user(m.organizerEmail),
      createdTime: formatVdxDateTime(m.created),
      updatedTime: formatVdxDateTime(m.updated),
      directMedia: 'best_effort',
      shortLink,
      shortlink: shortLink,
      _links: { self: { href: `${baseUrl}/v2/scheduling-info/${m.uuid}` } },
    };
  }

  const byStart = (a: MeetingRecord, b: MeetingRecord) => a.start.getTime() - b.start.getTime();

  // ------------------------------------------------------------------ provisioning

  function provision(m: MeetingRecord): Promise<void> {
    const provisioner = provisionerOf(m);
    if (!provisioner || m.statusPinned) return Promise.resolve();
    const running = provisioning.get(m.uuid);
    if (running) return running;
    const job = (async () => {
      if (m.provisionStatus !== 'PROVISIONED_OK') m.provisionStatus = 'STARTING_TO_PROVISION';
      try {
        // Checked on every call: rooms without `permanent` vanish when Janus restarts.
        await provisioner.ensure(specOf(m));
        m.provisionTimestamp ??= toSecond(new Date());
        m.provisionStatus = 'PROVISIONED_OK';
        delete m.provisionStatusDescription;
      } catch (e) {
        m.provisionStatus = 'PROVISION_PROBLEMS';
        const reason = e instanceof Error ? e.message : String(e);
        m.provisionStatusDescription = `Provisioning problems - ${reason}`.slice(0, 200);
      }
    })().finally(() => provisioning.delete(m.uuid));
    provisioning.set(m.uuid, job);
    return job;
  }

  async function provisionMany(list: MeetingRecord[]): Promise<void> {
    // A few at a time: enough to be quick, few enough not to flood Janus with sessions.
    const queue = [...list];
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let m = queue.shift(); m; m = queue.shift()) await provision(m);
      }),
    );
  }

  // ------------------------------------------------------------------ HTTP

  function sendJson(res: ServerResponse, status: number, body: unknown, type: string): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
  }

  function sendError(
    res: ServerResponse,
    status: number,
    path: string,
    detail: string,
    code: DetailedErrorCode = '11',
    extraHeaders: Record<string, string> = {},
  ): void {
    const body: VdxDetailedErrorJson = {
      timestamp: new Date().toISOString(),
      status,
      error: http.STATUS_CODES[status] ?? 'Error',
      path,
      detailed_error: detail,
      detailed_error_code: code,
    };
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    sendJson(res, status, body, 'application/json');
  }

  async function authenticate(req: IncomingMessage): Promise<{ ok: true; claims: JWTPayload } | { ok: false; detail: string; challenge: string }> {
    const header = req.headers.authorization;
    const m = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
    if (!m?.[1]) return { ok: false, detail: 'Full authentication is required to access this resource', challenge: 'Bearer' };
    try {
      const { payload } = await jwtVerify(m[1], jwks, {
        issuer: opts.idp.issuer,
        audience: opts.idp.audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
        // Only access tokens: an ID token (typ JWT) signed by the same IdP is refused.
        typ: 'at+jwt',
        requiredClaims: ['exp', 'sub'],
        clockTolerance: opts.clockToleranceSeconds ?? 0,
      });
      if (opts.idp.scope) {
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
        if (!scopes.includes(opts.idp.scope)) {
          return { ok: false, detail: 'The token does not grant the booking scope', challenge: 'Bearer error="insufficient_scope"' };
        }
      }
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      if (!roles.some((r) => typeof r === 'string' && READ_ROLES.has(r))) {
        // The spec files a missing role under 401 ("the role of the user may not use the request").
        return { ok: false, detail: 'The role of the user may not use the request', challenge: 'Bearer error="insufficient_scope"' };
      }
      return { ok: true, claims: payload };
    } catch (e) {
      const detail = e instanceof joseErrors.JWTExpired ? 'Jwt expired' : 'Invalid bearer token';
      return { ok: false, detail, challenge: `Bearer error="invalid_token", error_description="${detail}"` };
    }
  }

  type Route =
    | { kind: 'info' }
    | { kind: 'meetings' }
    | { kind: 'meeting'; id: string }
    | { kind: 'scheduling-info'; id: string }
    | { kind: 'scheduling-info-list' }
    | { kind: 'scheduling-templates' }
    | { kind: 'unknown' };

  function route(path: string): Route {
    if (path === '/v2/info') return { kind: 'info' };
    if (path === '/v2/meetings') return { kind: 'meetings' };
    if (path === '/v2/scheduling-info') return { kind: 'scheduling-info-list' };
    if (path === '/v2/scheduling-templates') return { kind: 'scheduling-templates' };
    let m = /^\/v2\/meetings\/([^/]+)$/.exec(path);
    if (m?.[1]) return { kind: 'meeting', id: decodeURIComponent(m[1]) };
    m = /^\/v2\/scheduling-info\/([^/]+)$/.exec(path);
    if (m?.[1]) return { kind: 'scheduling-info', id: decodeURIComponent(m[1]) };
    return { kind: 'unknown' };
  }

  function faultApplies(r: Route): VdxFault | null {
    if (!fault || r.kind === 'unknown') return null;
    const { kind, scope } = fault;
    if (scope === 'all') return kind;
    if (scope === 'info' && r.kind === 'info') return kind;
    if (scope === 'meetings' && (r.kind === 'meetings' || r.kind === 'meeting' || r.kind === 'scheduling-templates')) return kind;
    if (scope === 'scheduling-info' && (r.kind === 'scheduling-info' || r.kind === 'scheduling-info-list')) return kind;
    return null;
  }

  const hanging = new Set<ServerResponse>();

  function breakMeeting(json: VdxMeetingJson): unknown {
    // Fails the schema in two ways a sloppy server might: a free-text start, no shortId.
    const { shortId: _gone, ...rest } = json;
    return { ...rest, startTime: 'tomorrow at ten' };
  }

  function listMeetings(url: URL, path: string, res: ServerResponse): void {
    const q = url.searchParams;
    const from = q.get('from-start-time');
    const to = q.get('to-start-time');
    let list = [...meetings.values()];

    // The spec handles the parameters in this order and ignores the rest once one matched.
    const shortId = q.get('short-id');
    const label = q.get('label');
    const subject = q.get('subject');
    const organizedBy = q.get('organizedBy');
    const search = q.get('search');
    const uriWithDomain = q.get('uriWithDomain');

    let interval: { from: Date; to: Date } | undefined;
    if ((from === null) !== (to === null)) {
      sendError(res, 400, path, 'Either both from-start-time and to-start-time must be provided or none of them must be provided.', '28');
      return;
    }
    if (from !== null && to !== null) {
      const f = parseVdxDateTime(from);
      const t = parseVdxDateTime(to);
      for (const p of [f, t]) {
        if (!p.ok) {
          sendError(res, 400, path, p.message, p.code);
          return;
        }
      }
      if (f.ok && t.ok) interval = { from: f.date, to: t.date };
    }
    const inInterval = (m: MeetingRecord) => !interval || (m.start >= interval.from && m.start <= interval.to);

    if (shortId !== null) {
      if (shortId.length !== 12) {
        sendError(res, 400, path, 'short-id must be 12 characters long', '10');
        return;
      }
      list = list.filter((m) => m.shortId === shortId);
    } else if (label !== null) {
      list = list.filter((m) => m.labels.includes(label));
    } else if (subject !== null) {
      list = list.filter((m) => m.subject.toLowerCase().includes(subject.toLowerCase()));
    } else if (organizedBy !== null) {
      list = list.filter((m) => m.organizerEmail.toLowerCase() === organizedBy.toLowerCase());
    } else if (search !== null) {
      const s = search.toLowerCase();
      list = list.filter((m) => (m.subject + ' ' + m.description).toLowerCase().includes(s) && inInterval(m));
    } else if (interval) {
      list = list.filter(inInterval);
    } else if (uriWithDomain !== null) {
      list = list.filter((m) => `${m.vmrId}@${domainOf(m)}` === uriWithDomain);
    }

    const body: unknown[] = list.sort(byStart).map(meetingJson);
    if (fault && faultApplies({ kind: 'meetings' }) === 'invalid-meeting' && body.length > 0) {
      body[0] = breakMeeting(body[0] as VdxMeetingJson);
    }
    sendJson(res, 200, body, 'application/hal+json');
  }

  /**
   * GET /v2/scheduling-info?from-start-time&to-end-time[&provision-status]: the list form,
   * as the spec words it. Both times are required; a meeting is listed when its start minus
   * vmrAvailableBefore, or its end, lies within the interval (inclusive); provision-status
   * is one status, AWAITS_PROVISION when absent.
   */
  function listSchedulingInfo(url: URL, path: string, res: ServerResponse): void {
    const q = url.searchParams;
    const bounds: Date[] = [];
    for (const name of ['from-start-time', 'to-end-time']) {
      const value = q.get(name);
      if (value === null) {
        sendError(res, 400, path, `Required request parameter '${name}' for method parameter type String is not present`, '10');
        return;
      }
      const parsed = parseVdxDateTime(value);
      if (!parsed.ok) {
        sendError(res, 400, path, parsed.message, parsed.code);
        return;
      }
      bounds.push(parsed.date);
    }
    const [from, to] = bounds as [Date, Date];
    const status = provisionStatusSchema.safeParse(q.get('provision-status') ?? 'AWAITS_PROVISION');
    if (!status.success) {
      sendError(res, 400, path, `Invalid provision-status '${q.get('provision-status')}'`, '10');
      return;
    }
    const within = (t: number) => t >= from.getTime() && t <= to.getTime();
    const list = [...meetings.values()]
      .filter((m) => m.provisionStatus === status.data)
      .filter((m) => within(m.start.getTime() - m.vmrAvailableBefore * 60_000) || within(m.end.getTime()))
      .sort(byStart);
    const body: unknown[] = list.map(schedulingInfoJson);
    if (fault && faultApplies({ kind: 'scheduling-info-list' }) === 'invalid-scheduling-info' && body.length > 0) {
      body[0] = breakSchedulingInfo(body[0] as VdxSchedulingInfoJson);
    }
    sendJson(res, 200, body, 'application/hal+json');
  }

  function breakSchedulingInfo(json: VdxSchedulingInfoJson): unknown {
    const { provisionStatus: _gone, ...rest } = json;
    return { ...rest, hostPin: String(json.hostPin) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    const r = route(path);
    const entry: VdxRequestLogEntry = { method: req.method ?? 'GET', route: r.kind, path, query: url.search, at: Date.now() };
    if (req.headers['cache-control'] !== undefined) entry.cacheControl = req.headers['cache-control'];
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));

    const f = faultApplies(r);

    // Authentication first, as Spring Security's filter chain does: even unknown paths
    // answer 401 without a valid token.
    if (f === 'unauthorized') {
      sendError(res, 401, path, 'Invalid bearer token', '11', { 'www-authenticate': 'Bearer error="invalid_token"' });
      return;
    }
    const auth = await authenticate(req);
    if (!auth.ok) {
      sendError(res, 401, path, auth.detail, '11', { 'www-authenticate': auth.challenge });
      return;
    }
    if (r.kind === 'unknown' || (r.kind === 'scheduling-info-list' && !listForm)) {
      sendError(res, 404, path, 'No such resource');
      return;
    }
    const allowed = r.kind === 'meetings' ? ['GET', 'POST'] : r.kind === 'meeting' ? ['GET', 'PUT', 'DELETE'] : ['GET'];
    if (!allowed.includes(req.method ?? '')) {
      sendError(res, 405, path, `Request method '${req.method}' is not supported`, '11', { allow: allowed.join(', ') });
      return;
    }

    if (f === 'http500') {
      sendError(res, 500, path, 'An unexpected error occurred (sandbox fault)');
      return;
    }
    if (f === 'timeout') {
      // Say nothing; the client's own timeout or abort ends it (stop() cuts it too).
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (f === 'malformed-json') {
      const type = r.kind === 'info' ? 'application/json' : 'application/hal+json';
      const text = r.kind === 'meetings' || r.kind === 'scheduling-info-list' ? '[{"subject":"Video consultation (demo 1)","uuid":"' : '{"uuid":"';
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }

    if (req.method === 'POST' && r.kind === 'meetings') return writes.create(req, res, path, auth.claims);
    if (r.kind === 'meeting' && (req.method === 'PUT' || req.method === 'DELETE')) {
      if (!UUID.test(r.id)) {
        sendError(res, 400, path, `Invalid uuid: '${r.id}'`, '10');
        return;
      }
      if (req.method === 'PUT') return writes.update(req, res, path, auth.claims, r.id);
      return writes.remove(res, path, auth.claims, r.id);
    }

    switch (r.kind) {
      case 'scheduling-templates':
        writes.templates(res);
        return;
      case 'info': {
        const body: VdxInfoJson = {
          info: [
            { key: 'git', value: { branch: 'sandbox', commit: { id: '0000000', time: formatVdxDateTime(new Date(0)) } } },
            { key: 'build', value: { artifact: 'vdx-booking-sandbox', name: 'VDX Booking Module API v2 sandbox', version: '1.12.3' } },
          ],
        };
        sendJson(res, 200, body, 'application/json');
        return;
      }
      case 'meetings':
        listMeetings(url, path, res);
        return;
      case 'scheduling-info-list':
        listSchedulingInfo(url, path, res);
        return;
      case 'meeting':
      case 'scheduling-info': {
        if (!UUID.test(r.id)) {
          sendError(res, 400, path, `Invalid uuid: '${r.id}'`, '10');
          return;
        }
        const m = meetings.get(r.id.toLowerCase());
        if (!m) {
          sendError(res, 404, path, `No ${r.kind === 'meeting' ? 'meeting' : 'scheduling information'} with uuid ${r.id}`);
          return;
        }
        if (r.kind === 'meeting') {
          const json = meetingJson(m);
          sendJson(res, 200, f === 'invalid-meeting' ? breakMeeting(json) : json, 'application/hal+json');
          return;
        }
        await (m.lazyRoom ? provisionIfOpen(m) : provision(m));
        if (!meetings.has(m.uuid)) {
          sendError(res, 404, path, `No scheduling information with uuid ${r.id}`);
          return;
        }
        const json = schedulingInfoJson(m);
        if (f === 'invalid-scheduling-info') {
          sendJson(res, 200, breakSchedulingInfo(json), 'application/hal+json');
          return;
        }
        sendJson(res, 200, json, 'application/hal+json');
        return;
      }
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, 500, req.url ?? '/', `Sandbox error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  // ------------------------------------------------------------------ writes

  /** A lazy room (booked through the API) is provisioned once its validity window opens. */
  function provisionIfOpen(m: MeetingRecord): Promise<void> {
    const opens = m.start.getTime() - m.vmrAvailableBefore * 60_000;
    if (Date.now() < opens) return Promise.resolve();
    if (!provisionerOf(m) && m.provisionStatus === 'AWAITS_PROVISION') {
      // No conference server in this sandbox: report the room ready, as for seeded meetings.
      m.provisionStatus = 'PROVISIONED_OK';
      m.provisionTimestamp = toSecond(new Date());
    }
    return provision(m);
  }

  function bookedRecord(f: BookingFields): MeetingRecord {
    const rec = makeRecord({
      uuid: f.uuid,
      subject: f.subject,
      description: f.description,
      startTime: f.start,
      endTime: f.end,
      organizerEmail: f.organizerEmail,
      labels: f.labels,
      maxParticipants: f.maxParticipants,
      endMeetingOnEndTime: f.endMeetingOnEndTime,
      vmrAvailableBefore: f.vmrAvailableBefore,
    });
    rec.lazyRoom = true;
    // Not provisioned yet, whatever a provisioner-less sandbox would claim for a seeded one.
    rec.provisionStatus = 'AWAITS_PROVISION';
    delete rec.provisionTimestamp;
    return rec;
  }

  const templates = sandboxTemplates(organisationId, domain);
  const writes = writeRoutes({
    organisationId,
    baseUrl,
    meetings,
    templates: () => templates,
    newRecord: bookedRecord,
    meetingJson,
    provisionIfOpen,
    destroyRoom: async (m) => {
      if (m.provisionStatus === 'PROVISIONED_OK') await provisionerOf(m)?.destroy(specOf(m)).catch(() => undefined);
    },
    sendJson,
    sendError: (res, status, path, detail, code) => sendError(res, status, path, detail, code),
    hold: (res) => {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    },
  });

  // ------------------------------------------------------------------ seed

  if (opts.seed !== false) {
    for (const s of seedMeetings(opts.seed ?? {}, organizers)) {
      const rec = makeRecord({
        subject: s.subject,
        description: s.description,
        startTime: s.startTime,
        endTime: s.endTime,
        organizerEmail: s.organizerEmail,
        labels: s.labels,
        platform: s.platform,
      });
      meetings.set(rec.uuid, rec);
    }
  }
  // Eagerly, so a guest can find the room even before the console asked for scheduling-info.
  await provisionMany([...meetings.values()]);

  function mustGet(uuid: string): MeetingRecord {
    const m = meetings.get(uuid.toLowerCase());
    if (!m) throw new Error(`no meeting ${uuid}`);
    return m;
  }

  const handle_: VdxHandle = {
    baseUrl,
    addMeeting(input = {}) {
      const rec = makeRecord(input);
      meetings.set(rec.uuid, rec);
      void provision(rec);
      return meetingJson(rec);
    },
    updateMeeting(uuid, patch) {
      const m = mustGet(uuid);
      if (patch.uuid && patch.uuid !== m.uuid) throw new Error('uuid cannot change');
      if (patch.subject !== undefined) m.subject = patch.subject;
      if (patch.description !== undefined) m.description = patch.description;
      if (patch.startTime !== undefined) m.start = toDate(patch.startTime, 'startTime');
      if (patch.endTime !== undefined) m.end = toDate(patch.endTime, 'endTime');
      if (m.end <= m.start) throw new Error('endTime must be after startTime');
      if (patch.shortId !== undefined) m.shortId = patch.shortId;
      if (patch.organizerEmail !== undefined) m.organizerEmail = patch.organizerEmail;
      if (patch.labels !== undefined) m.labels = [...patch.labels];
      if (patch.vmrAvailableBefore !== undefined) m.vmrAvailableBefore = patch.vmrAvailableBefore;
      if (patch.maxParticipants !== undefined) m.maxParticipants = patch.maxParticipants;
      if (patch.endMeetingOnEndTime !== undefined) m.endMeetingOnEndTime = patch.endMeetingOnEndTime;
      if (patch.hostPin !== undefined || patch.guestPin !== undefined) {
        // PINs belong to the room; a change needs a new room, so we only allow it unprovisioned.
        if (rooms && m.provisionStatus === 'PROVISIONED_OK') throw new Error('PINs of a provisioned room cannot change');
        if (patch.hostPin !== undefined) m.hostPin = patch.hostPin;
        if (patch.guestPin !== undefined) m.guestPin = patch.guestPin;
      }
      if (patch.provisionStatus !== undefined) {
        m.provisionStatus = patch.provisionStatus;
        m.statusPinned = true;
      }
      m.updated = toSecond(new Date());
      return meetingJson(m);
    },
    async deleteMeeting(uuid) {
      const m = meetings.get(uuid.toLowerCase());
      if (!m) return false;
      meetings.delete(m.uuid);
      if (m.provisionStatus === 'PROVISIONED_OK') {
        await provisionerOf(m)?.destroy(specOf(m)).catch(() => undefined);
      }
      return true;
    },
    setFault(kind, scope = 'all') {
      fault = kind ? { kind, scope } : null;
    },
    setWriteFault(kind, times = 1) {
      writes.setFault(kind, times);
    },
    queueWriteFaults(list) {
      writes.queueFaults(list);
    },
    get committedWrites() {
      return { ...writes.committed };
    },
    get usedUuids() {
      return writes.usedUuids;
    },
    setListForm(available) {
      listForm = available;
    },
    setDown(value) {
      down = value;
      if (value) {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.closeAllConnections();
      }
    },
    meetingsOn(day) {
      const { start, end } = localDayBounds(day);
      return [...meetings.values()]
        .filter((m) => m.start >= start && m.start < end)
        .sort(byStart)
        .map(meetingJson);
    },
    allMeetings() {
      return [...meetings.values()].sort(byStart).map(meetingJson);
    },
    platformOf(uuid) {
      return mustGet(uuid).platform;
    },
    getMeeting(uuid) {
      const m = meetings.get(uuid.toLowerCase());
      return m ? meetingJson(m) : undefined;
    },
    schedulingInfo(uuid) {
      return schedulingInfoJson(mustGet(uuid));
    },
    async provisionRooms(uuids) {
      const list = uuids ? uuids.map(mustGet) : [...meetings.values()];
      await provisionMany(list);
      return Object.fromEntries(list.map((m) => [m.uuid, m.provisionStatus]));
    },
    get requestLog() {
      return log;
    },
    requestCounts() {
      const counts: Record<VdxRouteKind, number> = {
        info: 0,
        meetings: 0,
        meeting: 0,
        'scheduling-info': 0,
        'scheduling-info-list': 0,
        'scheduling-templates': 0,
        unknown: 0,
      };
      for (const entry of log) counts[entry.route]++;
      return counts;
    },
    clearRequestLog() {
      log.length = 0;
    },
    async stop() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      await Promise.allSettled([...provisioning.values()]);
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return handle_;
}
