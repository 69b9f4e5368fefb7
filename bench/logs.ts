/**
 * Logs IT can use: what "Save logs for IT" costs with a full log set (main.log and its three
 * rotated files at the 5 MB rotation size, written by the real logger), and what a window's
 * line costs main (contract parse, rate limit, redaction, formatting; the sink discards it).
 */
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildLogsZip, logFilesOf } from '../main/diagnostics/logs-for-it';
import { createLogger, fileSink } from '../main/log/logger';
import { createWindowLog } from '../main/log/window-log';
import { WindowLogLine } from '../preload/contract';
import { round, type Bench } from './bench';
import { RUNS, sampled } from './median';

export const logsBench: Bench = {
  name: 'logs for IT',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-logs-'));
    try {
      const logFile = join(dir, 'main.log');
      const log = createLogger([fileSink(logFile)], 'app', 'debug');
      ctx.note('writing a full log set (about 20 MB)…');
      for (let i = 0; logFilesOf(logFile).length < 4 || i < 300_000; i++) {
        log.info(`sync: day 2026-12-${String((i % 28) + 1).padStart(2, '0')} fetched in ${i % 900} ms, ${i % 40} meetings, 0 invalid, request ${i.toString(16)}`);
      }
      const zipMs: number[] = [];
      const sizes: number[] = [];
      const holds: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        // How long main's event loop is held at a stretch while it zips (IPC waits that long).
        const delay = monitorEventLoopDelay({ resolution: 5 });
        delay.enable();
        const start = performance.now();
        sizes.push((await buildLogsZip({ logFile, diagnosticsText: async () => 'Clinician Console (bench)', now: new Date() })).length / 1024);
        zipMs.push(performance.now() - start);
        delay.disable();
        holds.push(delay.max / 1e6);
      }

      const windowLog = createWindowLog({ log: createLogger([() => {}]), level: () => 'info', burst: Number.MAX_SAFE_INTEGER, perSecond: 0 });
      const line = { level: 'warn', source: 'call', message: 'subscriber answer failed: InvalidStateError: Failed to set remote answer sdp: Called in wrong state: stable' };
      const lines = 20_000;
      const per1000Ms: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        for (let i = 0; i < lines; i++) windowLog.write('call', WindowLogLine.parse(line));
        per1000Ms.push(((performance.now() - start) * 1000) / lines);
      }

      return [
        sampled('Save logs for IT: zip of 4 log files (~20 MB)', zipMs, 'ms'),
        sampled('Save logs for IT: zip size', sizes.map((k) => round(k)), 'KiB'),
        sampled('Save logs for IT: longest hold of the event loop while zipping', holds, 'ms'),
        sampled('1,000 window log lines in main (parse, limit, redact, format)', per1000Ms, 'ms'),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
