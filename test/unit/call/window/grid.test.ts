/**
 * The remote tiles' grid: 2 to 6 participants side by side in a wide call window, stacked
 * in a tall one, never more rows or columns than call.css has classes for.
 */
import { describe, expect, it } from 'vitest';
import { gridFor, MAX_TRACKS } from '../../../../call/window/grid';

describe('gridFor', () => {
  it('fills a wide window (16:9) with 2 to 6 participants as a clinician expects', () => {
    expect(gridFor(0)).toEqual({ columns: 1, rows: 1 });
    expect(gridFor(1)).toEqual({ columns: 1, rows: 1 });
    expect(gridFor(2)).toEqual({ columns: 2, rows: 1 });
    expect(gridFor(3)).toEqual({ columns: 2, rows: 2 });
    expect(gridFor(4)).toEqual({ columns: 2, rows: 2 });
    expect(gridFor(5)).toEqual({ columns: 3, rows: 2 });
    expect(gridFor(6)).toEqual({ columns: 3, rows: 2 });
  });

  it('stacks in a tall area (a narrow window beside the patient record)', () => {
    expect(gridFor(2, 0.6)).toEqual({ columns: 1, rows: 2 });
    expect(gridFor(3, 0.5)).toEqual({ columns: 1, rows: 3 });
    expect(gridFor(4, 0.75)).toEqual({ columns: 2, rows: 2 });
  });

  it('puts 3 in a row where the area is very wide', () => {
    expect(gridFor(3, 4)).toEqual({ columns: 3, rows: 1 });
  });

  it('always has room for everybody within the layout classes, whatever the shape', () => {
    for (let count = 1; count <= 16; count++) {
      for (const aspect of [0.3, 0.75, 1, 16 / 9, 3, Number.NaN, 0, -1]) {
        const { columns, rows } = gridFor(count, aspect);
        expect(columns * rows, `${count} at ${aspect}`).toBeGreaterThanOrEqual(count);
        expect(columns).toBeLessThanOrEqual(MAX_TRACKS);
        expect(rows).toBeLessThanOrEqual(MAX_TRACKS);
        // No row left entirely empty.
        expect(columns * (rows - 1), `${count} at ${aspect}`).toBeLessThan(count);
      }
    }
  });
});
