/** The two complete versions of a day the crash-safety test alternates between. */
import type { BookedMeeting } from '../../../main/booking/booking-source';

export const SET_SIZE = 2000;

export function daySet(tag: 'a' | 'b', day: string): BookedMeeting[] {
  const base = Date.parse(`${day}T06:00:00Z`);
  return Array.from({ length: SET_SIZE }, (_, i) => {
    const start = new Date(base + i * 20_000);
    return {
      id: `${tag === 'a' ? 'aaaaaaaa' : 'bbbbbbbb'}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      version: `${tag}${i}`,
      shortId: `${tag}${String(i).padStart(11, '0')}`,
      subject: `Invented consultation ${tag}${i}`,
      startTime: start.toISOString(),
      endTime: new Date(start.getTime() + 600_000).toISOString(),
      joinOpensAt: start.toISOString(),
      room: { id: `${tag}room${i}`, uri: `${tag}${i}@video.invalid`, guestPin: '1111', hostPin: '2222' },
    };
  });
}
