/**
 * "Running late": the message in each of the four languages (the minutes in it, no name),
 * sent by SMS through the gateway (the test stack's stand-in, over HTTP) to each number this
 * console invited to the meeting, each in its invitation's language; in the room in the
 * first invitation's language, else the console's; and nothing of it in the log.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { openScheduleDb } from '../../../../main/cache/schedule-db';
import { createLogger } from '../../../../main/log/logger';
import { createRunningLate, lateText } from '../../../../call/main/running-late';
import { createSmsSender } from '../../../../call/main/sms-gateway';
import { startSmsGateway, type SmsGatewayHandle } from '../../../stack/sms/server';
import { tempDir } from '../../../support/temp-dir';

const TODAY = '2026-11-22';
const meeting: BookedMeeting = {
  id: '00000000-0000-4000-8000-0000000000c1',
  version: '1',
  shortId: 'late00000001',
  subject: 'Invented follow-up for Pat Example',
  startTime: '2026-11-22T09:00:00.000Z',
  endTime: '2026-11-22T09:20:00.000Z',
  joinOpensAt: '2026-11-22T08:45:00.000Z',
  room: { id: 'r1', uri: 'late@video.invalid', guestPin: '4821', hostPin: '9314' },
};

let gateway: SmsGatewayHandle;
beforeAll(async () => {
  gateway = await startSmsGateway();
});
afterAll(async () => {
  await gateway?.stop();
});

describe('the running-late message', () => {
  it.each([
    ['en', 'about 10 minutes late'],
    ['fi', 'noin 10 minuuttia myöhässä'],
    ['sv', 'cirka 10 minuter senare'],
    ['da', 'cirka 10 minutter senere'],
  ] as const)('in %s says how late, and is short enough for one text message', (lang, phrase) => {
    const text = lateText(lang, 10);
    expect(text).toContain(phrase);
    expect(text.length).toBeLessThanOrEqual(160);
    expect(lateText(lang, 15)).toContain('15');
  });

  it('is a different text in each language', () => {
    expect(new Set((['en', 'fi', 'sv', 'da'] as const).map((l) => lateText(l, 5))).size).toBe(4);
  });
});

describe('sending it', () => {
  function setUp(notifyRoom: (m: BookedMeeting, text: string) => Promise<number | null>) {
    const db = openScheduleDb(join(tempDir('cc-late-'), 'schedule.db'), randomBytes(32), createLogger([]));
    const lines: string[] = [];
    const late = createRunningLate({
      numbers: () => db.invitedNumbers,
      sms: createSmsSender({ gatewayUrl: gateway.url, timeoutMs: 3000 }),
      notifyRoom,
      today: () => TODAY,
      log: createLogger([(line) => lines.push(line)]),
    });
    return { db, late, lines };
  }

  it("texts each invited number in its invitation's language and tells the room in the first one's", async () => {
    const room: string[] = [];
    const { db, late, lines } = setUp(async (_m, text) => (room.push(text), 1));
    db.invitedNumbers.remember(meeting.id, TODAY, '+45 20 11 22 33', 'da', TODAY);
    db.invitedNumbers.remember(meeting.id, TODAY, '+358 40 765 4321', 'fi', TODAY);
    const before = gateway.sent.length;
    expect(await late.send(meeting, 10, 'en')).toEqual({ sms: 2, smsFailed: 0, room: 'sent' });
    expect(gateway.sent.slice(before)).toEqual([
      { to: '+45 20 11 22 33', text: lateText('da', 10) },
      { to: '+358 40 765 4321', text: lateText('fi', 10) },
    ]);
    expect(room).toEqual([lateText('da', 10)]);
    // Nobody named, in the messages or the log; the log has counts only.
    for (const m of gateway.sent.slice(before)) expect(m.text).not.toMatch(/Pat|Example|Invented/);
    const log = lines.join('\n');
    for (const secret of ['20 11 22 33', '765 4321', lateText('da', 10), 'Pat Example']) expect(log).not.toContain(secret);
    expect(log).toContain('2 text messages sent');
    db.close();
  });

  it("without an invited number: no text message, the room in the console's language; an unsupported room is said", async () => {
    const room: string[] = [];
    const { db, late } = setUp(async (_m, text) => (room.push(text), 0));
    const before = gateway.sent.length;
    expect(await late.send(meeting, 5, 'sv')).toEqual({ sms: 0, smsFailed: 0, room: 'nobody-waiting' });
    expect(room).toEqual([lateText('sv', 5)]);
    expect(gateway.sent.length).toBe(before);
    db.close();

    const pexipLike = setUp(async () => null);
    expect(await pexipLike.late.send(meeting, 5, 'sv')).toMatchObject({ room: 'unsupported' });
    pexipLike.db.close();
  });

  it('counts a number the gateway refuses, and a room that fails, without stopping the rest', async () => {
    const { db, late } = setUp(async () => {
      throw new Error('guard away');
    });
    // A gateway nobody listens at (port 9, discard: closed here) fails the send; the room still hears.
    db.invitedNumbers.remember(meeting.id, TODAY, '+45 20 11 22 33', 'da', TODAY);
    const refusing = createRunningLate({
      numbers: () => db.invitedNumbers,
      sms: createSmsSender({ gatewayUrl: 'http://127.0.0.1:9/sms', timeoutMs: 1000 }),
      notifyRoom: async () => 1,
      today: () => TODAY,
      log: createLogger([]),
    });
    expect(await refusing.send(meeting, 15, 'en')).toEqual({ sms: 0, smsFailed: 1, room: 'sent' });
    expect(await late.send(meeting, 15, 'en')).toEqual({ sms: 1, smsFailed: 0, room: 'failed' });
    db.close();
  });
});
