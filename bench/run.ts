/**
 * `npm run bench`: runs each benchmark module in turn and prints its figures. Nothing is
 * asserted. To add a benchmark, write a module exporting a `Bench` (bench/bench.ts) and
 * add it to `benches` below.
 *
 *   npm run bench                 all of them
 *   npm run bench -- schedule     only those whose name contains "schedule"
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pinDaytimeZone } from '../test/support/daytime-zone';
import { projectRoot } from '../test/support/electron';
import type { Bench, BenchContext, Figure } from './bench';
import { firstPaintBench } from './first-paint';
import { rendererSizeBench } from './renderer-size';
import { scheduleBench } from './schedule';
import { callBench } from './call';
import { guardBench } from './guard';
import { logsBench } from './logs';
import { bookingBench } from './booking';

// The call bench joins "the meeting open now" from today's list: mid-morning, never near midnight.
pinDaytimeZone();

export const benches: Bench[] = [scheduleBench, bookingBench, firstPaintBench, rendererSizeBench, callBench, guardBench, logsBench];

const filter = process.argv.slice(2).join(' ').toLowerCase();
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

const results: Array<{ bench: string; figures: Figure[] } | { bench: string; error: string }> = [];
const started = performance.now();
try {
  for (const bench of chosen) {
    process.stderr.write(`${bench.name}\n`);
    try {
      const figures = await bench.run(ctx);
      results.push({ bench: bench.name, figures });
      for (const f of figures) process.stdout.write(`${bench.name}: ${f.label}: ${f.value} ${f.unit}\n`);
    } catch (error) {
      results.push({ bench: bench.name, error: (error as Error).message });
      process.stdout.write(`${bench.name}: FAILED: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stderr.write(`bench finished in ${Math.round((performance.now() - started) / 1000)} s\n`);
