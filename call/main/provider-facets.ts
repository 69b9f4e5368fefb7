/**
 * What main knows about a kind of conference server besides the call itself (which
 * ConferenceProvider covers): what to probe, how a guest finds the room, how to ask who waits,
 * and which origins the call window may reach. Each provider's main half implements this in
 * its own folder (call/providers/<kind>/main/); provider-registry.ts lists them. Code outside
 * a provider's folder asks the registry instead of testing `provider === ...`, so a new kind
 * of server touches only its folder and the registry.
 */
import type { Logger } from '../../main/log/logger';
import type { ConferenceServer, PexipStatusApi } from '../../main/settings/settings';
import type { ServerCheck } from '../common/call-contract';
import type { ProviderKind } from '../common/call-model';
import type { ConferenceProvider } from './provider';
import type { WaitingProbe, WaitingProblem } from './waiting-probes';

/** Where a guest joins: what the link must carry for the guest's page to find the room. */
export type GuestRoomRef =
  | { provider: 'janus'; serverUrl: string; guardUrl: string; room: string }
  | { provider: 'pexip'; nodeUrl: string; alias: string };

export type ProbeService = ServerCheck['services'][number]['service'];

/** A meeting's room as the booking system gave it. */
export interface BookedRoom {
  id: string;
  uri: string;
  hostPin: string;
}

export interface ProviderContext {
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  /** Pexip: lock the meeting as soon as the host joins (a setting). */
  pexipLockOnHostJoin: boolean;
}

export interface WaitingContext {
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  /** IT's read-only status account for a domain, where the provider asks with one; undefined: none (logged once). */
  statusAccount(domain: string): PexipStatusApi | undefined;
  /** State the provider's probes share for the watch's lifetime (one client per account), made once per key. */
  shared<T>(key: string, make: () => T): T;
  /** The round under way (probes asking the same server in one round may share one request). */
  round(): number;
  /** A monotonic clock in ms. */
  clock(): number;
  /** Why a meeting's badge may stay dark, for Diagnostics (the watch logs and keeps it once). */
  note(subject: string, problem: WaitingProblem): void;
}

export interface ProviderFacets {
  readonly kind: ProviderKind;
  /** The product's name, for the log (never shown to the user: the renderer translates). */
  readonly label: string;
  /** What the check before joining and Diagnostics ask, without the host PIN. */
  probeTargets(server: ConferenceServer): Array<{ service: ProbeService; url: string }>;
  /** The waiting badge reads through IT's status account for the server's domain (Diagnostics checks it). */
  readonly waitingNeedsStatusAccount: boolean;
  /** The call itself (host powers), for one meeting's server. */
  openProvider(server: ConferenceServer, ctx: ProviderContext): ConferenceProvider;
  /**
   * The guest link names the room by the booking system's room id (VDX provisionVmrId), not
   * only its address: before the room is set up, a meeting without that id cannot be invited to yet.
   */
  readonly guestRoomNeedsId: boolean;
  /** Where a guest joins the meeting's room, for the invitation link. */
  guestRoom(server: ConferenceServer, room: Pick<BookedRoom, 'id' | 'uri'>): GuestRoomRef;
  /** What the invitation link carries for the guest's page to find the room (never a PIN). */
  guestLinkParams(room: GuestRoomRef): Record<string, string>;
  /** Asks who waits in the meeting's room each round; null when it cannot be asked (logged). */
  waitingProbe(server: ConferenceServer, room: BookedRoom, ctx: WaitingContext): WaitingProbe | null;
  /** The origins the call window's client connects to (its CSP's connect-src). */
  windowOrigins(server: ConferenceServer): string[];
}

/** The server (or guest room) narrowed to one kind; a facet given another kind's is a programming error. */
export function ownServer<K extends ProviderKind>(kind: K, server: ConferenceServer): Extract<ConferenceServer, { provider: K }> {
  if (server.provider !== kind) throw new Error(`the ${kind} facets were given a ${server.provider} server`);
  return server as Extract<ConferenceServer, { provider: K }>;
}

export function ownGuestRoom<K extends ProviderKind>(kind: K, room: GuestRoomRef): Extract<GuestRoomRef, { provider: K }> {
  if (room.provider !== kind) throw new Error(`the ${kind} facets were given a ${room.provider} room`);
  return room as Extract<GuestRoomRef, { provider: K }>;
}
