import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay, vdxDayRange } from '../../../common/days';

describe('days in the workstation time zone', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Europe/Copenhagen';
  });
  afterAll(() => {
    process.env.TZ = saved;
  });

  it('asks VDX for the local day with the local offset, in v2 format', () => {
    expect(vdxDayRange('2026-11-22')).toEqual({ from: '2026-11-22T00:00:00+01:00', to: '2026-11-22T23:59:59+01:00' });
    expect(vdxDayRange('2026-07-01')).toEqual({ from: '2026-07-01T00:00:00+02:00', to: '2026-07-01T23:59:59+02:00' });
  });

  it('handles the daylight-saving change (a 23-hour day)', () => {
    expect(vdxDayRange('2026-03-29')).toEqual({ from: '2026-03-29T00:00:00+01:00', to: '2026-03-29T23:59:59+02:00' });
  });

  it('moves across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(localDay(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  });
});
