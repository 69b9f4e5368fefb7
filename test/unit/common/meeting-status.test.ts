import { describe, expect, it } from 'vitest';
import { canJoin, meetingStatus } from '../../../common/meeting-status';

const m = {
  joinOpensAt: '2026-11-22T08:45:00Z',
  startTime: '2026-11-22T09:00:00Z',
  endTime: '2026-11-22T09:30:00Z',
  joinable: true,
};
const at = (iso: string) => new Date(iso);

describe('meeting status', () => {
  it.each([
    ['2026-11-22T08:44:59Z', 'upcoming', false],
    ['2026-11-22T08:45:00Z', 'open', true],
    ['2026-11-22T08:59:59Z', 'open', true],
    ['2026-11-22T09:00:00Z', 'in-progress', true],
    ['2026-11-22T09:29:59Z', 'in-progress', true],
    ['2026-11-22T09:30:00Z', 'ended', false],
  ])('at %s it is %s (join %s)', (now, status, join) => {
    expect(meetingStatus(m, at(now))).toBe(status);
    expect(canJoin(m, at(now))).toBe(join);
  });

  it('never allows joining a meeting without a room', () => {
    expect(canJoin({ ...m, joinable: false }, at('2026-11-22T09:10:00Z'))).toBe(false);
  });
});
