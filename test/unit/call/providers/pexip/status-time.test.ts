/** Pexip's Management API datetimes (naive UTC with microseconds) as the waiting badge's `since`. */
import { describe, expect, it } from 'vitest';
import { statusTime } from '../../../../../call/providers/pexip/main/pexip-management';

describe('statusTime', () => {
  it('reads a naive datetime as UTC, microseconds cut to milliseconds', () => {
    expect(statusTime('2015-04-02T09:08:15.565590')).toBe('2015-04-02T09:08:15.565Z');
    expect(statusTime('2015-04-02T09:08:15')).toBe('2015-04-02T09:08:15.000Z');
  });
  it('keeps an offset when one is given', () => {
    expect(statusTime('2015-04-02T11:08:15.5+02:00')).toBe('2015-04-02T09:08:15.500Z');
    expect(statusTime('2015-04-02T09:08:15Z')).toBe('2015-04-02T09:08:15.000Z');
  });
  it('says nothing for a missing or unreadable value', () => {
    expect(statusTime(null)).toBeNull();
    expect(statusTime(undefined)).toBeNull();
    expect(statusTime('')).toBeNull();
    expect(statusTime('yesterday')).toBeNull();
    expect(statusTime('2015-13-45T99:08:15')).toBeNull();
  });
});
