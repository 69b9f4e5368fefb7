import { describe, expect, it } from 'vitest';
import { FigureRuns, formatFigure, repeat, sampled, summarize } from '../../../bench/median';

describe('bench median', () => {
  it('summarises odd and even sample counts, in any order', () => {
    expect(summarize([9, 1, 5, 3, 7])).toEqual({ median: 5, min: 1, max: 9, runs: 5 });
    expect(summarize([4, 2, 8, 6])).toEqual({ median: 5, min: 2, max: 8, runs: 4 });
    expect(() => summarize([])).toThrow();
  });

  it('repeats in series, numbering runs from 1', async () => {
    let running = 0;
    const seen = await repeat(3, async (run) => {
      running++;
      const overlapping = running > 1;
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return { run, overlapping };
    });
    expect(seen).toEqual([1, 2, 3].map((run) => ({ run, overlapping: false })));
  });

  it('collects single values over passes until every figure has enough runs', () => {
    const runs = new FigureRuns();
    runs.add([sampled('sync', [30, 10, 20, 50, 40], 'ms'), { label: 'size', value: 7, unit: 'KiB' }]);
    expect(runs.complete(5)).toBe(false);
    for (const v of [9, 8, 6, 5]) runs.add([sampled('sync', [99, 99, 99, 99, 99], 'ms'), { label: 'size', value: v, unit: 'KiB' }]);
    expect(runs.complete(5)).toBe(true);
    // The first five runs of each figure, not the extra passes a slower figure forced.
    expect(runs.lines('b', 5)).toEqual(['b: sync: 30 ms (min 10, max 50, median of 5)', 'b: size: 7 KiB (min 5, max 9, median of 5)']);
  });

  it('prints ratios with two decimals and says when there was only one run', () => {
    expect(formatFigure('call', 'ratio', 'x', [1.5, 1.25, 1.333])).toBe('call: ratio: 1.33 x (min 1.25, max 1.50, median of 3)');
    expect(formatFigure('call', 'cpu', '%', [12.34])).toBe('call: cpu: 12.3 % (one run)');
  });
});
