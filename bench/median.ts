/**
 * Every figure `npm run bench` prints is the median of RUNS runs, with the fastest and the
 * slowest run beside it, so one disturbed run (the machine is shared) shows as a wide spread
 * instead of a wrong number.
 *
 * A bench can give a figure's runs itself (`samples`, when it measures in a loop anyway, e.g.
 * five starts of the host), or give one `value` per run and let the harness (bench/run.ts)
 * run the whole module again until each figure has RUNS samples. `repeat` and `sampled` are
 * for modules that loop themselves; `summarize` and `formatFigure` are what the harness uses.
 */
import { round, type Figure } from './bench';

/** How many runs each printed figure summarises. */
export const RUNS = 5;

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many samples the summary is of. */
  runs: number;
}

/** Median (mean of the two middle samples when even), min and max. Throws on no samples. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarise');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Runs `once` `runs` times in series (never in parallel: runs would disturb each other). */
export async function repeat<T>(runs: number, once: (run: number) => Promise<T> | T): Promise<T[]> {
  const out: T[] = [];
  for (let run = 1; run <= runs; run++) out.push(await once(run));
  return out;
}

/** A figure carrying all its runs; the harness prints their median, min and max. */
export function sampled(label: string, samples: readonly number[], unit: Figure['unit']): Figure {
  if (samples.length === 0) throw new Error(`no samples for "${label}"`);
  return { label, value: summarize(samples).median, unit, samples: [...samples] };
}

/** The samples a figure stands for: its own runs, or its single value. */
export function samplesOf(figure: Figure): number[] {
  return figure.samples && figure.samples.length > 0 ? [...figure.samples] : [figure.value];
}

/** Collects figures by label over repeated runs of one bench module, in first-seen order. */
export class FigureRuns {
  private readonly byLabel = new Map<string, { unit: Figure['unit']; samples: number[] }>();

  add(figures: readonly Figure[]): void {
    for (const f of figures) {
      const entry = this.byLabel.get(f.label) ?? { unit: f.unit, samples: [] };
      entry.samples.push(...samplesOf(f));
      this.byLabel.set(f.label, entry);
    }
  }

  /** True once every figure seen has at least `runs` samples. */
  complete(runs = RUNS): boolean {
    return [...this.byLabel.values()].every((e) => e.samples.length >= runs);
  }

  /** One line per figure: `label: median unit (min … max, median of n)`. */
  lines(prefix: string, runs = RUNS): string[] {
    return [...this.byLabel].map(([label, e]) => formatFigure(prefix, label, e.unit, e.samples.slice(0, Math.max(runs, 1))));
  }
}

/** Rounds as the figure's unit needs: counts and ratios exactly, times to 0.1 ms. */
function show(value: number, unit: Figure['unit']): string {
  if (unit === 'x') return round(value, 2).toFixed(2);
  if (Math.abs(value) < 1 && value !== 0) return String(round(value, 3));
  return String(round(value, 1));
}

export function formatFigure(prefix: string, label: string, unit: Figure['unit'], samples: readonly number[]): string {
  const s = summarize(samples);
  const spread = s.runs === 1 ? 'one run' : `min ${show(s.min, unit)}, max ${show(s.max, unit)}, median of ${s.runs}`;
  return `${prefix}: ${label}: ${show(s.median, unit)} ${unit} (${spread})`;
}
