// Where a booking made here stands (the end screen's and "meet now"'s wait), against the real
// VDX sandbox and the real encrypted schedule database: "booked" only once VDX confirmed it
// (and the meeting is in the cache then), "waiting" while VDX cannot be reached, "refused"
// with the reason for an account without booking rights; and what a sign-out would leave unsent.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBookingService, type BookingService } from '../../../main/booking/outbox/booking-service';
import { createVdxWriter } from '../../../main/booking/outbox/vdx-writes';
import { openScheduleDb, type ScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import type { VdxHandle } from '../../stack/vdx';
import { tempDir } from '../../support/temp-dir';
import { startVdxSandbox, type VdxSandbox } from '../../support/vdx-sandbox';

const NURSE = 'nurse.demo@example.org';
const READER = 'reader.demo@example.org';

let sandbox: VdxSandbox;
let vdx: VdxHandle;
let tokens: Map<string, string>;
const key = randomBytes(32);

beforeAll(async () => {
  sandbox = await startVdxSandbox('settle-ca-', [NURSE, READER]);
  ({ vdx, tokens } = sandbox);
});

afterAll(() => sandbox?.stop());

beforeEach(() => {
  vdx.setWriteFault(null);
  vdx.setDown(false);
});

function open(who = NURSE): { db: ScheduleDb; bookings: BookingService } {
  const db = openScheduleDb(join(tempDir('settle-'), 'schedule.db'), key, nullLogger);
  const bookings = createBookingService({
    db,
    writer: createVdxWriter({ baseUrl: vdx.baseUrl, tokens: { getAccessToken: async () => tokens.get(who)! }, log: nullLogger, userEmail: () => who, timeoutMs: 2_000 }),
    log: nullLogger,
    me: () => who,
    onDaysChanged: () => undefined,
    reconcile: () => undefined,
  });
  return { db, bookings };
}

function request(daysAhead = 2) {
  const start = new Date(Math.floor((Date.now() + daysAhead * 24 * 3600_000) / 60_000) * 60_000);
  return { meetingId: randomUUID(), subject: 'Follow-up video visit (invented)', startTime: start.toISOString(), endTime: new Date(start.getTime() + 20 * 60_000).toISOString() };
}

describe('booking.settled', () => {
  it('says "booked" only once VDX confirmed it, with the meeting in the cache; the answer lost after the commit changes nothing', async () => {
    const { db, bookings } = open();
    const visit = request();
    vdx.setWriteFault('commit-then-drop');
    bookings.book(visit);
    expect(bookings.unsent()).toBe(1);
    expect(await bookings.settled(visit.meetingId, 20_000)).toEqual({ state: 'booked' });
    expect(db.meeting(visit.meetingId)?.subject).toBe(visit.subject);
    expect(vdx.allMeetings().filter((m) => m.uuid === visit.meetingId)).toHaveLength(1);
    expect(bookings.unsent()).toBe(0);
    // Asked again: at once, the same.
    expect(await bookings.settled(visit.meetingId, 0)).toEqual({ state: 'booked' });
    await bookings.stop();
    db.close();
  });

  it('says "waiting" while VDX cannot be reached (the booking stays queued), and "booked" once it can', async () => {
    const { db, bookings } = open();
    const visit = request();
    vdx.setDown(true);
    bookings.book(visit);
    expect(await bookings.settled(visit.meetingId, 300)).toEqual({ state: 'waiting' });
    expect(db.meeting(visit.meetingId)).toBeNull();
    expect(await bookings.sendNow(5_000)).toBe(1);
    vdx.setDown(false);
    expect(await bookings.sendNow(5_000)).toBe(0);
    expect(await bookings.settled(visit.meetingId, 0)).toEqual({ state: 'booked' });
    await bookings.stop();
    db.close();
  });

  it('says "refused" with the reason for an account without booking rights, and counts it as nothing unsent', async () => {
    const { db, bookings } = open(READER);
    const visit = request();
    bookings.book(visit);
    expect(await bookings.settled(visit.meetingId, 20_000)).toEqual({ state: 'refused', reason: 'forbidden', status: 403 });
    expect(bookings.unsent()).toBe(0);
    expect(vdx.getMeeting(visit.meetingId)).toBeUndefined();
    await bookings.stop();
    db.close();
  });

  it('a meeting this console never booked is not found', async () => {
    const { db, bookings } = open();
    await expect(bookings.settled(randomUUID(), 0)).rejects.toMatchObject({ code: 'appointment-not-found' });
    await bookings.stop();
    db.close();
  });
});
