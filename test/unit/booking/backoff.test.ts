import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../main/booking/backoff';

describe('backoff', () => {
  it('doubles from the base up to the cap, with half of each delay certain', () => {
    const low = createBackoff({ baseMs: 1000, factor: 2, maxMs: 8000, random: () => 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    const high = createBackoff({ baseMs: 1000, factor: 2, maxMs: 8000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('spreads retries with jitter and never exceeds the cap', () => {
    const b = createBackoff({ baseMs: 2000, maxMs: 120_000 });
    const delays = Array.from({ length: 200 }, () => {
      b.reset();
      for (let i = 0; i < 3; i++) b.next();
      return b.next(); // the 4th failure: ceiling 16 s
    });
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(16_000);
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it('starts over after a success', () => {
    const b = createBackoff({ baseMs: 1000, random: () => 0 });
    b.next();
    b.next();
    expect(b.failures).toBe(2);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(500);
  });

  it('refuses settings that would never back off', () => {
    expect(() => createBackoff({ baseMs: 0 })).toThrow(RangeError);
    expect(() => createBackoff({ baseMs: 1000, maxMs: 10 })).toThrow(RangeError);
  });
});
