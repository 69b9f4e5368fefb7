import { describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { lengthInMinutes, nextPatient } from '../../../../call/main/after-call';

const now = new Date('2026-03-02T10:00:00Z');
const room = { id: 'r', uri: 'r@video.example', guestPin: '1234', hostPin: '5678' };
function meeting(id: string, startMin: number, minutes: number, opts: { leadMin?: number; room?: boolean } = {}): BookedMeeting {
  const start = new Date(now.getTime() + startMin * 60_000);
  return {
    id,
    version: '1',
    shortId: id,
    subject: `Invented ${id}`,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + minutes * 60_000).toISOString(),
    joinOpensAt: new Date(start.getTime() - (opts.leadMin ?? 15) * 60_000).toISOString(),
    room: opts.room === false ? null : room,
  };
}

describe('after the call', () => {
  const ended = meeting('ended', -20, 30);
  it('offers the first meeting open now that starts no earlier than the one that ended', () => {
    const day = [
      meeting('earlier-open', -40, 60), // open now, but before the one that ended
      ended,
      meeting('later-closed', 60, 30), // room not open yet
      meeting('next-b', 10, 30),
      meeting('next-a', 5, 30),
      meeting('no-room', 2, 30, { room: false }),
    ];
    expect(nextPatient(day, ended, now)?.id).toBe('next-a');
    expect(nextPatient(day.filter((m) => m.id !== 'next-a' && m.id !== 'next-b'), ended, now)).toBeNull();
  });

  it('never offers the meeting that ended, nor one already over', () => {
    expect(nextPatient([ended, meeting('over', -10, 5)], ended, now)).toBeNull();
  });

  it('takes a follow-up\'s length from the meeting that ended', () => {
    expect(lengthInMinutes(ended)).toBe(30);
    expect(lengthInMinutes({ startTime: now.toISOString(), endTime: now.toISOString() })).toBe(1);
  });
});
