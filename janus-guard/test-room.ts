/**
 * The readiness check's test room (README, "Readiness check"): a room IT names for the
 * console's "Check conference servers" to prove that admission works end to end (the host
 * PIN buys a host session, the guard stores a token in Janus, Janus lets that host join).
 *
 * The console reads the room's host PIN from IT's policy (`janusTestRooms`), which anyone who
 * can read the policy can read, so the room is made useless for anything but the check:
 *   - one publisher (`publishers: 1`): the host alone; with `require_pvtid` nobody else can
 *     even watch, so two people cannot meet in it;
 *   - a guest PIN of 20 random digits (the longest the guard accepts) that nobody is told:
 *     no guest can knock;
 *   - its host PIN is checked with the same attempt limits as every room's.
 * The guard keeps rooms in memory, so it provisions this one again at every start.
 */
import { randomInt } from 'node:crypto';
import type { Guard } from './guard';

/** A random 20-digit PIN (the longest the guard accepts) that nobody is given. */
function unusedGuestPin(): string {
  return Array.from({ length: 20 }, () => String(randomInt(10))).join('');
}

export async function provisionTestRoom(guard: Pick<Guard, 'provision'>, room: { room: string; hostPin: string }): Promise<void> {
  await guard.provision({ room: room.room, hostPin: room.hostPin, guestPin: unusedGuestPin(), publishers: 1 });
}
