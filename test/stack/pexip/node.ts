/**
 * The Conferencing Node's state: its rooms (keyed by alias), the tokens it issued, PIN
 * guessing counters, and the registered test endpoints.
 *
 * Aliases match case-insensitively, and `alias@<domain>` reaches the same room as `alias`
 * (a VMR is usually given both forms; the VDX meeting's uriWithDomain is the second).
 *
 * A VMR's name is not one of its aliases, as on a real node: a room added without a name gets
 * `Meeting room <id>` (what a provisioning system might call it [inferred]), so anything that
 * takes an alias for the name (the Management API's status filters by name) finds nothing.
 */
import { Conference, REASON, type ConferenceTimings, type RoomConfig } from './conference';
import { EndpointRegistry } from './endpoint/registry';
import { PinGuard, type PinGuardOptions } from './pins';
import { TokenStore } from './tokens';

/**
 * What a Conferencing Node hands out for ICE in its request_token answer, in the shape
 * @pexip/infinity-api 20 types it (token/types.d.ts: `stun?: Stun[]` with `{url}`, `turn?: Turn[]`
 * with `{urls, username?, credential?}`) and @pexip/infinity passes to RTCPeerConnection
 * (infinityClient.js: one iceServer with every `stun[].url`, then each `turn` as it is).
 * [inferred] that a node sends one `turn` entry per configured TURN server with its static
 * credentials: Pexip documents the fields, not an example answer.
 */
export interface IceServers {
  stun: Array<{ url: string }>;
  turn: Array<{ urls: string[]; username: string; credential: string }>;
}

export interface NodeOptions extends ConferenceTimings, PinGuardOptions {
  domain: string;
  tokenExpiresSeconds: number;
  /** Characters per token, 600 to 1,200 (tokens.ts). */
  tokenLength: number;
}

export class PexipNode {
  readonly tokens: TokenStore;
  readonly pins: PinGuard;
  readonly endpoints = new EndpointRegistry();
  private readonly rooms = new Map<string, Conference>();
  /** The `stun` and `turn` lists of request_token answers (null: none sent, as a node without them). */
  iceServers: IceServers | null = null;
  private nextId = 1;

  constructor(readonly opts: NodeOptions) {
    this.pins = new PinGuard(opts);
    this.tokens = new TokenStore(
      opts.tokenExpiresSeconds,
      (session) => {
        this.rooms.get(session.room)?.kick(session.participantUuid, REASON.tokenExpired);
      },
      opts.tokenLength,
    );
  }

  /** The key a request's alias maps to. */
  key(alias: string): string {
    const lower = alias.trim().toLowerCase();
    const suffix = `@${this.opts.domain.toLowerCase()}`;
    return lower.endsWith(suffix) ? lower.slice(0, -suffix.length) : lower;
  }

  find(alias: string): { key: string; conference: Conference } | undefined {
    const key = this.key(alias);
    const conference = this.rooms.get(key);
    return conference ? { key, conference } : undefined;
  }

  conference(alias: string): Conference | undefined {
    return this.rooms.get(this.key(alias));
  }

  /** Every room's conference (the Management API's status lists them all). */
  conferences(): Conference[] {
    return [...this.rooms.values()];
  }

  /** Adds a room, or updates the PINs and name of an existing one (its conference goes on). */
  addRoom(room: RoomConfig): void {
    if (!room.alias.trim()) throw new Error('a room needs an alias');
    // A VMR without any PIN (the readiness check's test VMR) lets everyone in as a Host.
    if (!room.hostPin && room.guestPin) throw new Error('a room with a guest PIN needs a host PIN');
    if (room.hostPin && room.hostPin === room.guestPin) throw new Error('host and guest PIN must differ');
    const key = this.key(room.alias);
    const existing = this.rooms.get(key);
    if (existing) {
      existing.room = { ...room, name: room.name ?? existing.name };
      return;
    }
    const id = this.nextId++;
    const conference = new Conference({ ...room, name: room.name ?? `Meeting room ${id}` }, { tokens: this.tokens, endpoints: this.endpoints, timings: this.opts });
    conference.id = id;
    this.rooms.set(key, conference);
  }

  /** A VMR's aliases as its configuration lists them: the bare alias and `alias@<domain>`. */
  aliasesOf(conference: Conference): string[] {
    const key = this.key(conference.room.alias);
    return [`${key}@${this.opts.domain.toLowerCase()}`, key];
  }

  removeRoom(alias: string): void {
    const key = this.key(alias);
    const conference = this.rooms.get(key);
    if (!conference) return;
    this.rooms.delete(key);
    this.pins.forget(key);
    conference.disconnectAll(REASON.adminTerminated);
    conference.relay.closeAll();
  }

  hasRoom(alias: string): boolean {
    return this.rooms.has(this.key(alias));
  }

  /** The node went away: every call, token, stream and registration is gone; rooms stay configured. */
  dropEverything(): void {
    for (const conference of this.rooms.values()) conference.drop();
    this.tokens.revokeAll();
    this.endpoints.clear();
  }
}
