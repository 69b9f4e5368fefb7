/**
 * Inviting a guest to a meeting the user organised (the end screen's follow-up, the day view's
 * Invite), on any day: from the room once set up, or on a later date from the room VDX assigned
 * but has not set up (a planned room). Against a real encrypted schedule database and the SMS
 * gateway stand-in; the link never carries the PIN, the text does.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAfterCallHandlers } from '../../../../call/main/after-call';
import type { CallChannels } from '../../../../call/main/call-channels';
import { createSmsSender } from '../../../../call/main/sms-gateway';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { openScheduleDb, type ScheduleDb } from '../../../../main/cache/schedule-db';
import { nullLogger } from '../../../../main/log/logger';
import type { ConferenceServer } from '../../../../main/settings/settings';
import { startSmsGateway, type SmsGatewayHandle } from '../../../stack/sms/server';
import { tempDir } from '../../../support/temp-dir';

const NURSE = 'nurse.invented@example.invalid';
const servers: ConferenceServer[] = [
  { domain: 'pexip.invalid', provider: 'pexip', url: 'https://node.pexip.invalid' },
  { domain: 'janus.invalid', provider: 'janus', url: 'wss://janus.invalid/', guardUrl: 'https://guard.janus.invalid' },
];
const NEXT_WEEK = '2026-03-09T09:15:00.000Z';

function later(n: number, plannedRoom: BookedMeeting['plannedRoom'], organizer = NURSE): BookedMeeting {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    version: 'v1',
    shortId: `short${String(n).padStart(7, '0')}`,
    subject: `Invented follow-up ${n}`,
    startTime: NEXT_WEEK,
    endTime: '2026-03-09T09:45:00.000Z',
    joinOpensAt: NEXT_WEEK,
    organizer,
    room: null,
    ...(plannedRoom ? { plannedRoom } : {}),
  };
}

let sms: SmsGatewayHandle;
let db: ScheduleDb;
const remembered: Array<{ meetingId: string; to: string }> = [];
let handlers: ReturnType<typeof createAfterCallHandlers>;

beforeAll(async () => {
  sms = await startSmsGateway();
  db = openScheduleDb(join(tempDir('cc-invite-'), 'schedule.db'), randomBytes(32), nullLogger);
  handlers = createAfterCallHandlers({
    // Inviting reads no call: the window's meeting is never asked.
    calls: { windowMeeting: () => null } as unknown as CallChannels,
    schedule: async () => ({ db }),
    me: () => NURSE,
    displayName: async () => 'Nurse Invented',
    servers,
    invitationBaseUrl: 'https://guest.invalid/join',
    sms: createSmsSender({ gatewayUrl: sms.url, timeoutMs: 5000 }),
    onSmsInvited: (meetingId, to) => remembered.push({ meetingId, to }),
    openExternal: async () => undefined,
    log: nullLogger,
    now: () => new Date('2026-03-02T09:00:00.000Z'),
  });
});
afterAll(async () => {
  db?.close();
  await sms?.stop();
});

/** The day view asks (the end screen's call window asks the same). */
const fromMain = { window: 'main' as const };
const request = (meetingId: string) => ({ meetingId, role: 'patient' as const, name: 'Pat Example', lang: 'en' as const, to: '+45 20 00 00 09' });

describe('inviting to a booked meeting before its room is set up', () => {
  it('texts the planned room\'s link (Pexip: its alias) with the PIN in the text only, and keeps the number for that meeting', async () => {
    const m = later(1, { id: 'vmr-1', uri: 'vmr-1@pexip.invalid', guestPin: '24681357' });
    db.putMeeting('2026-03-09', m);
    const before = sms.sent.length;
    await handlers['call.inviteBookedBySms'](request(m.id), fromMain);
    expect(sms.sent).toHaveLength(before + 1);
    const { to, text } = sms.sent.at(-1)!;
    expect(to).toBe('+45 20 00 00 09');
    expect(text).toContain('Meeting PIN: 24681357');
    const link = new URL(/https?:\/\/\S+/.exec(text)![0]);
    expect(link.origin + link.pathname).toBe('https://guest.invalid/join');
    expect(link.searchParams.get('alias')).toBe('vmr-1@pexip.invalid');
    expect(link.searchParams.get('role')).toBe('patient');
    expect(link.href).not.toContain('24681357');
    expect(remembered.at(-1)).toEqual({ meetingId: m.id, to: '+45 20 00 00 09' });
  });

  it('names a Janus room by the id VDX gave it, and refuses while VDX has given none (nothing sent)', async () => {
    const withId = later(2, { id: 'vmr-2', uri: 'vmr-2@janus.invalid', guestPin: '13572468' });
    const withoutId = later(3, { uri: 'vmr-3@janus.invalid', guestPin: '11223344' });
    db.putMeeting('2026-03-09', withId);
    db.putMeeting('2026-03-09', withoutId);
    await handlers['call.inviteBookedBySms'](request(withId.id), fromMain);
    const link = new URL(/https?:\/\/\S+/.exec(sms.sent.at(-1)!.text)![0]);
    expect(link.searchParams.get('room')).toBe('vmr-2');
    expect(link.searchParams.get('guard')).toBe('https://guard.janus.invalid');
    const before = sms.sent.length;
    await expect(handlers['call.inviteBookedBySms'](request(withoutId.id), fromMain)).rejects.toMatchObject({ code: 'no-room' });
    expect(sms.sent).toHaveLength(before);
  });

  it("refuses someone else's meeting and a meeting with no room address yet", async () => {
    const theirs = later(4, { id: 'vmr-4', uri: 'vmr-4@pexip.invalid', guestPin: '55667788' }, 'dr.invented@example.invalid');
    const bare = later(5, undefined);
    db.putMeeting('2026-03-09', theirs);
    db.putMeeting('2026-03-09', bare);
    const before = sms.sent.length;
    await expect(handlers['call.inviteBookedBySms'](request(theirs.id), fromMain)).rejects.toMatchObject({ code: 'booking-not-mine' });
    await expect(handlers['call.inviteBookedBySms'](request(bare.id), fromMain)).rejects.toMatchObject({ code: 'no-room' });
    expect(sms.sent).toHaveLength(before);
  });

  it('prefers the room once it is set up (the same link a call would give)', async () => {
    const m: BookedMeeting = { ...later(6, undefined), room: { id: 'vmr-6', uri: 'vmr-6@pexip.invalid', guestPin: '99887766', hostPin: '12121212' } };
    db.putMeeting('2026-03-09', m);
    await handlers['call.inviteBookedBySms'](request(m.id), fromMain);
    const { text } = sms.sent.at(-1)!;
    expect(text).toContain('Meeting PIN: 99887766');
    expect(text).not.toContain('12121212');
    expect(new URL(/https?:\/\/\S+/.exec(text)![0]).searchParams.get('alias')).toBe('vmr-6@pexip.invalid');
  });
});
