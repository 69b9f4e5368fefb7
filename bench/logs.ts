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
import { percentile, round, type Bench } from './bench';

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
      let size = 0;
      // How long main's event loop is held at a stretch while it zips (IPC waits that long).
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        size = (await buildLogsZip({ logFile, diagnosticsText: async () => 'Clinician Console (bench)', now: new Date() })).length;
        zipMs.push(performance.now() - start);
      }
      delay.disable();

      const windowLog = createWindowLog({ log: createLogger([() => {}]), level: () => 'info', burst: Number.MAX_SAFE_INTEGER, perSecond: 0 });
      const line = { level: 'warn', source: 'call', message: 'subscriber answer failed: InvalidStateError: Failed to set remote answer sdp: Called in wrong state: stable' };
      const lines = 20_000;
      const start = performance.now();
      for (let i = 0; i < lines; i++) windowLog.write('call', WindowLogLine.parse(line));
      const per1000Ms = ((performance.now() - start) * 1000) / lines;

      return [
        { label: 'Save logs for IT: zip of 4 log files (~20 MB), median of 5', value: round(percentile(zipMs, 50)), unit: 'ms' },
        { label: 'Save logs for IT: zip size', value: round(size / 1024), unit: 'KiB' },
        { label: 'Save logs for IT: longest hold of the event loop while zipping', value: round(delay.max / 1e6), unit: 'ms' },
        { label: '1,000 window log lines in main (parse, limit, redact, format)', value: round(per1000Ms, 2), unit: 'ms' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
