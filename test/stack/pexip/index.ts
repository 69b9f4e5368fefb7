/**
 * A Pexip Infinity Conferencing Node for tests and `npm run sandbox`: the Client REST API v2
 * as @pexip/infinity 20 and the @pexip/infinity-api wrappers use it (tokens and PINs,
 * participant and conference controls, the event stream, CORS), with real media through a
 * werift relay (voice-switched 1:0), on 127.0.0.1 only.
 *
 * What it leaves out is listed in the comments of conference.ts and media-relay.ts.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { RoomConfig } from './conference';
import { PexipNode, type IceServers } from './node';
export type { IceServers } from './node';
import { ManagementServer, type ManagementAccount as StatusAccount, type RateLimit } from './management';
import { PexipServer, type RequestLogEntry } from './server';

export interface PexipRoom {
  alias: string;
  hostPin: string;
  /** '' = no guest PIN: guests then join with the PIN `none` (Pexip's "guest_pin": "none"). */
  guestPin: string;
  name?: string;
  /** Single sign-on before any PIN, with these identity providers' names (403 `{idp: [...]}`). */
  ssoIdps?: string[];
}

export interface StartPexipOptions {
  /** default 'pexip.sandbox.test' (the domain of meetings' uriWithDomain) */
  domain?: string;
  /** default 120 ("expires" is a numeric STRING in responses); @pexip/infinity refreshes every third of it */
  tokenExpiresSeconds?: number;
  /** characters per token, 600 to 1,200, default 1,000 (tokens.ts) */
  tokenLength?: number;
  /** per alias: wrong PINs allowed within pinWindowMs, default 5 */
  maxPinAttempts?: number;
  /** default 10 min */
  pinWindowMs?: number;
  /** how long the alias stays locked after that, default 10 min */
  lockoutMs?: number;
  /** guests disconnected this long after the last host left, default 60 s */
  guestsOnlyTimeoutMs?: number;
  /** a dial-out nobody answers fails after this, default 30 s */
  ringTimeoutMs?: number;
  /** the `stun`/`turn` lists of request_token answers; default none (setIceServers) */
  iceServers?: IceServers;
  /** the Management API's read-only account (status API); default: a random password per run */
  statusApi?: StatusAccount;
  /** the Management API answers 429 beyond this many requests per window; default 20 per 10 s [inferred] */
  managementRateLimit?: RateLimit;
  /**
   * Which page origins the Client API answers (CORS): `*` (the default, for unit tests of the
   * double) or a list, as a real node's reverse proxy is configured; the e2e stack starts with
   * none and allows each console and guest page it opens (allowOrigin).
   */
  corsOrigins?: '*' | string[];
}

export interface PexipParticipantState {
  uuid: string;
  displayName: string;
  role: 'chair' | 'guest';
  serviceType: string;
  protocol: string;
  callDirection: 'in' | 'out';
  uri: string;
  callTag: string;
  isMuted: boolean;
  isVideoMuted: boolean;
  hasMedia: boolean;
  isPresenting: boolean;
  /** What the call carries, as is_audio_only_call / is_video_call report it. */
  callType: 'api' | 'audio' | 'video';
}

/** What the relay does for one participant's call (test introspection). */
export interface PexipMediaLeg {
  uuid: string;
  connected: boolean;
  /** Whose audio / video this participant receives now (null: nothing). */
  audioFrom: string | null;
  videoFrom: string | null;
  packetsIn: { audio: number; video: number };
  packetsOut: { audio: number; video: number };
  /** Presentation packets: from this participant (when it presents), and relayed to it. */
  slidesIn: number;
  slidesOut: number;
}

export interface PexipHandle {
  /** http://127.0.0.1:PORT ; url + '/api/client/v2/conferences/<alias>/request_token' is the endpoint */
  url: string;
  domain: string;
  /** The Management Node (its own port): the Management API (`url + '/api/admin/status/v1/participant/'`,
   *  `/api/admin/configuration/v1/conference_alias/`, HTTP Basic) and its read-only account. */
  statusApi: StatusAccount & { url: string };
  /** A participant's session token: its length and how many refresh_tokens replaced it (never the token itself). */
  tokenOf(uuid: string): { length: number; refreshes: number } | undefined;
  /** CORS: `*` answers every page origin; a list only those (a foreign origin's preflight gets 403). */
  setCorsOrigins(origins: '*' | string[]): void;
  /** The origins CORS answers now (a copy). */
  corsOrigins(): '*' | string[];
  /** Adds a page origin to the list (nothing to do under `*`). */
  allowOrigin(origin: string): void;
  /** The `stun`/`turn` lists request_token answers carry from now on (null: none). */
  setIceServers(servers: IceServers | null): void;
  /** Test hook: the Management API's rate limit from now on. */
  setManagementRateLimit(limit: RateLimit): void;
  /** The VMR's name (what the status API calls `conference`), which is none of its aliases. */
  vmrName(alias: string): string | undefined;
  addRoom(room: PexipRoom): void;
  /** Disconnects everyone in it ("Conference terminated by an administrator"). */
  removeRoom(alias: string): void;
  hasRoom(alias: string): boolean;
  participants(alias: string): PexipParticipantState[];
  /** The conference lock (a host's `lock`), not the PIN lockout: see pinLockout. */
  locked(alias: string): boolean;
  /** PIN guessing state of an alias: retries exceeded (403) or break-in blocked (404). */
  pinLockout(alias: string): 'none' | 'retries-exceeded' | 'break-in-blocked';
  /** Test hook: force the voice-switched speaker (null = back to audio levels). */
  forceSpeaker(alias: string, uuid: string | null): void;
  /** The relay's view: current speaker and what each call receives. */
  media(alias: string): { speaker: string | null; legs: PexipMediaLeg[] };
  /** Test endpoints for dial-out: the page URL a test opens (headless) to be a SIP/H.323 endpoint with this address. */
  endpointPageUrl(uri: string, opts?: { answer?: 'auto' | 'manual' }): string;
  /** Whether a test endpoint page has registered this address. */
  endpointRegistered(uri: string): boolean;
  /** never headers, PINs or tokens */
  readonly requestLog: ReadonlyArray<RequestLogEntry>;
  clearRequestLog(): void;
  /** Cut every connection (node gone away mid-call), refuse new ones while down. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function startPexip(opts: StartPexipOptions = {}): Promise<PexipHandle> {
  const domain = opts.domain ?? 'pexip.sandbox.test';
  const node = new PexipNode({
    domain,
    tokenExpiresSeconds: opts.tokenExpiresSeconds ?? 120,
    tokenLength: opts.tokenLength ?? 1000,
    maxAttempts: opts.maxPinAttempts ?? 5,
    windowMs: opts.pinWindowMs ?? 10 * 60_000,
    lockoutMs: opts.lockoutMs ?? 10 * 60_000,
    guestsOnlyTimeoutMs: opts.guestsOnlyTimeoutMs ?? 60_000,
    ringTimeoutMs: opts.ringTimeoutMs ?? 30_000,
  });
  node.iceServers = opts.iceServers ?? null;
  const statusApi = opts.statusApi ?? { username: 'console-status', password: randomBytes(18).toString('base64url') };
  const server = new PexipServer(node);
  server.corsOrigins = opts.corsOrigins === undefined || opts.corsOrigins === '*' ? '*' : [...opts.corsOrigins];
  const port = await server.listen();
  const url = `http://127.0.0.1:${port}`;
  const management = new ManagementServer({
    account: statusApi,
    rateLimit: opts.managementRateLimit ?? { requests: 20, windowMs: 10_000 },
    conferences: () => node.conferences(),
    aliasesOf: (c) => node.aliasesOf(c),
    log: server.log,
  });
  const managementUrl = `http://127.0.0.1:${await management.listen()}`;
  let stopping: Promise<void> | undefined;

  return {
    url,
    domain,
    statusApi: { ...statusApi, url: managementUrl },
    setManagementRateLimit: (limit) => management.setRateLimit(limit),
    setIceServers: (servers) => {
      node.iceServers = servers;
    },
    vmrName: (alias) => node.conference(alias)?.name,
    tokenOf: (uuid) => node.tokens.describe(uuid),
    setCorsOrigins: (origins) => {
      server.corsOrigins = origins === '*' ? '*' : [...origins];
    },
    corsOrigins: () => (server.corsOrigins === '*' ? '*' : [...server.corsOrigins]),
    allowOrigin: (origin) => {
      if (server.corsOrigins !== '*' && !server.corsOrigins.includes(origin)) server.corsOrigins.push(origin);
    },
    addRoom: (room: PexipRoom) => node.addRoom({ ...room } satisfies RoomConfig),
    removeRoom: (alias) => node.removeRoom(alias),
    hasRoom: (alias) => node.hasRoom(alias),
    participants: (alias) =>
      (node.conference(alias)?.list() ?? []).map((p) => ({
        uuid: p.uuid,
        displayName: p.displayName,
        role: p.role,
        serviceType: p.serviceType,
        protocol: p.protocol,
        callDirection: p.callDirection,
        uri: p.uri,
        callTag: p.callTag,
        isMuted: p.isMuted,
        isVideoMuted: p.isVideoMuted,
        hasMedia: p.hasMedia,
        isPresenting: p.isPresenting,
        callType: p.callType,
      })),
    locked: (alias) => node.conference(alias)?.locked ?? false,
    pinLockout: (alias) => {
      const gate = node.pins.gate(node.key(alias));
      return gate === 'open' ? 'none' : gate;
    },
    forceSpeaker: (alias, uuid) => {
      const conference = node.conference(alias);
      if (!conference) throw new Error('no such room');
      conference.relay.forceSpeaker(uuid);
    },
    media: (alias) => {
      const snap = node.conference(alias)?.relay.snapshot() ?? { speaker: null, legs: [] };
      return { speaker: snap.speaker, legs: snap.legs.map(({ id, ...rest }) => ({ uuid: id, ...rest })) };
    },
    endpointPageUrl: (uri, o = {}) =>
      `${url}/_test/endpoint/?${new URLSearchParams({ uri, ...(o.answer === 'manual' ? { answer: 'manual' } : {}) }).toString()}`,
    endpointRegistered: (uri) => node.endpoints.isRegistered(uri),
    get requestLog() {
      return server.log.map((e) => ({ ...e }));
    },
    clearRequestLog: () => {
      server.log.length = 0;
    },
    setDown: (down) => server.setDown(down),
    stop: () => (stopping ??= Promise.all([server.close(), management.close()]).then(() => undefined)),
  };
}

/** Adds a room with a random alias and two different random eight-digit PINs (tests). */
export function addRandomRoom(pexip: Pick<PexipHandle, 'addRoom'>): PexipRoom {
  const hostPin = String(randomInt(10_000_000, 100_000_000));
  let guestPin = hostPin;
  while (guestPin === hostPin) guestPin = String(randomInt(10_000_000, 100_000_000));
  const room = { alias: `vmr-${randomBytes(6).toString('hex')}`, hostPin, guestPin, name: 'Clinic room' };
  pexip.addRoom(room);
  return room;
}
