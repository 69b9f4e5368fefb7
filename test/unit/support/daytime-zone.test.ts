import { describe, expect, test } from 'vitest';
import { daytimeZone } from '../../support/daytime-zone';

/** The local hour and day of `at` in `zone`, as Intl (the same ICU data Chromium uses) says. */
function local(at: Date, zone: string): { hour: number; day: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { hour: Number(get('hour')), day: `${get('year')}-${get('month')}-${get('day')}` };
}

describe('daytimeZone', () => {
  test('at every hour of the UTC day, the zone makes it 09:xx local, and 90 minutes later it is still the same day', () => {
    for (let h = 0; h < 24; h++) {
      for (const m of [0, 59]) {
        const start = new Date(Date.UTC(2026, 11, 1, h, m, 59));
        const zone = daytimeZone(start);
        expect(local(start, zone).hour, `${h}:${m} UTC in ${zone}`).toBe(9);
        expect(local(new Date(start.getTime() + 90 * 60_000), zone).day).toBe(local(start, zone).day);
      }
    }
  });

  test('an hour that an Etc zone cannot reach exactly is not asked for: other hours come out right too', () => {
    const start = new Date(Date.UTC(2026, 11, 1, 23, 30));
    expect(local(start, daytimeZone(start, 13)).hour).toBe(13);
    expect(daytimeZone(new Date(Date.UTC(2026, 0, 1, 9))), 'UTC itself at nine').toBe('Etc/UTC');
  });
});
