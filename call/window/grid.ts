/**
 * How the remote tiles of a call fill the space: the columns and rows that give every tile
 * the largest 4:3 picture in an area of the given shape. 2 to 6 participants stay side by
 * side where the window is wide (2: two columns; 3 and 4: two by two; 5 and 6: three by two)
 * and stack where it is tall. Pure, so it is unit-tested without a browser.
 */
export interface Grid {
  columns: number;
  rows: number;
}

const TILE_ASPECT = 4 / 3;
/** The layout classes call.css defines (cols-1..cols-4, rows-1..rows-4). */
export const MAX_TRACKS = 4;

/** `aspect`: the area's width divided by its height (16:9 when not known yet). */
export function gridFor(count: number, aspect = 16 / 9): Grid {
  if (count <= 1) return { columns: 1, rows: 1 };
  const width = Number.isFinite(aspect) && aspect > 0 ? aspect : 16 / 9;
  let best: Grid & { tile: number; empty: number } = { columns: 1, rows: count, tile: 0, empty: 0 };
  for (let columns = 1; columns <= Math.min(count, MAX_TRACKS); columns++) {
    const rows = Math.ceil(count / columns);
    if (rows > MAX_TRACKS) continue;
    // The tile's width: the column's width, or less where the row is too short for 4:3.
    const tile = Math.min(width / columns, (1 / rows) * TILE_ASPECT);
    const empty = columns * rows - count;
    // Bigger tiles win; within a hair, fewer empty cells.
    if (tile > best.tile + 1e-9 || (Math.abs(tile - best.tile) <= 1e-9 && empty < best.empty)) best = { columns, rows, tile, empty };
  }
  return { columns: best.columns, rows: best.rows };
}
