/**
 * What a benchmark module looks like. `npm run bench` runs every module listed in
 * bench/run.ts in turn and prints their figures; nothing is asserted (benchmarks measure,
 * tests assert behaviour). A module starts and stops whatever it needs itself.
 */
export interface Figure {
  label: string;
  /** One run's value (or, with `samples`, their median). */
  value: number;
  unit: 'ms' | 'KiB' | 'count' | '%' | 'x';
  /** Every run's value, when the module measured several runs itself (bench/median.ts). */
  samples?: number[];
}

export interface BenchContext {
  /** A renderer build made for this bench run (never the shared out/renderer the e2e tests use). */
  rendererDir(): Promise<string>;
  /** Progress for the terminal, on stderr so stdout holds only figures. */
  note(message: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

/** The p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
