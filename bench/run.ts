/**
 * `npm run bench`: runs each benchmark module in turn and prints its figures, each the
 * median of 5 runs with the fastest and slowest (bench/median.ts). A module that gives a
 * figure as one value per run is run again until each of its figures has 5 runs; one that
 * loops itself gives `samples` and runs once. Nothing is asserted. To add a benchmark, write
 * a module exporting a `Bench` (bench/bench.ts) and add it to `benches` below.
 *
 *   npm run bench                 all of them
 *   npm run bench -- schedule     only those whose name contains "schedule"
 *   npm run bench -- --runs 1 x   a quick look: one run of each figure
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pinDaytimeZone } from '../test/support/daytime-zone';
import { projectRoot } from '../test/support/electron';
import type { Bench, BenchContext } from './bench';
import { firstPaintBench } from './first-paint';
import { rendererSizeBench } from './renderer-size';
import { scheduleBench } from './schedule';
import { callBench } from './call';
import { guardBench } from './guard';
import { logsBench } from './logs';
import { bookingBench } from './booking';
import { FigureRuns, RUNS } from './median';

// The call bench joins "the meeting open now" from today's list: mid-morning, never near midnight.
pinDaytimeZone();

export const benches: Bench[] = [scheduleBench, bookingBench, firstPaintBench, rendererSizeBench, callBench, guardBench, logsBench];

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : RUNS;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number of at least 1');
const filter = args.join(' ').toLowerCase();
const chosen = benches.filter((b) => !filter || b.name.toLowerCase().includes(filter));

let rendererBuild: Promise<string> | undefined;
const work = mkdtempSync(join(tmpdir(), 'cc-bench-'));

const ctx: BenchContext = {
  rendererDir() {
    // Its own build, so a bench never swaps the files under an e2e run using out/renderer.
    rendererBuild ??= (async () => {
      const outDir = join(work, 'renderer');
      const built = spawnSync(join(projectRoot, 'node_modules', '.bin', 'vite'), ['build', '--config', 'vite.renderer.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: projectRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (built.status !== 0) throw new Error('the renderer build failed');
      return outDir;
    })();
    return rendererBuild;
  },
  note(message) {
    process.stderr.write(`  … ${message}\n`);
  },
};

const started = performance.now();
try {
  for (const bench of chosen) {
    const collected = new FigureRuns();
    try {
      // Until every figure has `runs` samples; a module that never reaches it stops at `runs` passes.
      for (let pass = 1; pass <= runs && (pass === 1 || !collected.complete(runs)); pass++) {
        process.stderr.write(`${bench.name}${pass > 1 ? ` (pass ${pass})` : ''}\n`);
        collected.add(await bench.run(ctx));
      }
      for (const line of collected.lines(bench.name, runs)) process.stdout.write(`${line}\n`);
    } catch (error) {
      process.stdout.write(`${bench.name}: FAILED: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stderr.write(`bench finished in ${Math.round((performance.now() - started) / 1000)} s\n`);
