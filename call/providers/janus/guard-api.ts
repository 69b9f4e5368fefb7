/**
 * The Janus room guard's HTTP API as both of its sides speak it: where each resource is, and
 * the JSON bodies and answers (zod). The guard (janus-guard/server.ts) parses requests with
 * these schemas; the console's main half (guard-client.ts, the waiting probe, the server
 * check) and the test stack build their URLs and read the answers with them, so the two
 * sides cannot drift apart.
 *
 * Shared by a Node server, the console's main process and a browser page: zod and plain
 * TypeScript only (no Node, no DOM). The API itself is described in janus-guard/server.ts.
 */
import { z } from 'zod';

/** The guard's rooms collection: `<guard>/v1/rooms` (provisioning; what a reachability check asks). */
export function guardRoomsUrl(guardUrl: string): string {
  return `${guardUrl.replace(/\/+$/, '')}/v1/rooms`;
}

/** One room: `<guard>/v1/rooms/<room>`; its resources are paths below it (`/host`, `/guests`, ...). */
export function guardRoomUrl(guardUrl: string, room: string): string {
  return `${guardRoomsUrl(guardUrl)}/${encodeURIComponent(room)}`;
}

export const GUARD_GUEST_ROLES = ['patient', 'interpreter', 'specialist', 'relative', 'other'] as const;
export const GUARD_ROLES = ['host', ...GUARD_GUEST_ROLES] as const;

/** A host or guest PIN as the guard accepts it. */
export const GUARD_PIN = /^\d{4,20}$/;
/** A room's reference as the guard provisions it (the booking system's, or IT's test room). */
export const GUARD_ROOM_REFERENCE = /^[A-Za-z0-9_-]{16,64}$/;
const Pin = z.string().regex(GUARD_PIN);
/** A room, guest or feed id. */
export const GuardId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const Id = GuardId;

/** Request bodies, as the guard accepts them (strict: an unknown key is a bad request). */
export const guardRequests = {
  provision: z.object({ room: Id, hostPin: Pin, guestPin: Pin, publishers: z.number().int().min(1).max(50).optional() }).strict(),
  host: z.object({ pin: z.string().max(64) }).strict(),
  prepare: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
  admit: z.object({ guestId: Id, token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) }).strict(),
  guestId: z.object({ guestId: Id }).strict(),
  feedId: z.object({ feedId: Id }).strict(),
  moderate: z.object({ feedId: Id, mid: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), muted: z.boolean() }).strict(),
  /** A short message from the host to the waiting guests (the console writes it; no name in it). */
  notice: z.object({ text: z.string().trim().min(1).max(320) }).strict(),
  knock: z.object({ pin: z.string().max(64), name: z.string().trim().min(1).max(100), role: z.enum(GUARD_GUEST_ROLES) }).strict(),
};

/** Answers, as the console reads them. */
export const guardAnswers = {
  /** POST …/host: a host session. */
  session: z.object({ session: z.string(), expiresInMs: z.number() }),
  /** POST …/prepare. `room`: the Janus room's own id, which the guard tells only admitted participants. */
  prepared: z.object({ feedId: z.string(), token: z.string(), room: z.string() }),
  /** GET …/state: who waits and who is in. */
  state: z.object({
    // `since`: when the guest knocked; a guard from before it was added leaves it out.
    waiting: z.array(z.object({ guestId: z.string(), name: z.string(), role: z.enum(GUARD_GUEST_ROLES), since: z.iso.datetime().optional() })),
    roster: z.array(
      z.object({
        feedId: z.string(),
        role: z.enum(GUARD_ROLES),
        name: z.string(),
        present: z.boolean(),
        // A guard from before the count was added leaves it out: rejoins are then seen by presence only.
        joins: z.number().int().nonnegative().optional(),
      }),
    ),
  }),
  /** POST …/admit. */
  admitted: z.object({ feedId: z.string() }),
  /** POST …/watcher: a lobby watcher. */
  watcher: z.object({ watcher: z.string().min(16).max(128) }),
  /** GET …/lobby: the roles of who waits and since when (never a name; `since` absent from an older guard). */
  lobby: z.object({ waiting: z.array(z.object({ role: z.enum(GUARD_GUEST_ROLES), since: z.iso.datetime().optional() })).max(500) }),
  /** POST …/notice: how many waiting guests it reached. */
  noticed: z.object({ reached: z.number().int().nonnegative() }),
  ok: z.object({ ok: z.literal(true) }),
};
export type GuardState = z.infer<typeof guardAnswers.state>;
export type GuardPrepared = z.infer<typeof guardAnswers.prepared>;
