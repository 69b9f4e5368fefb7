/**
 * The browser host's process start, for its entry (host/main.ts) and for the e2e harness's
 * (test/e2e/harness/workstation-host.ts, which adds a simulated workstation the tests drive):
 * settings and policy, the server, one JSON line on stdout when ready ({"url": <the address to
 * open, with its one-time secret>, "control": <the deep-link hand-over's credential, for the
 * starting process>}), and a clean stop on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkstationMonitor } from '../main/core/ports';
import { loadConsoleConfig } from '../main/core/start';
import { createLogger, fileSink } from '../main/log/logger';
import { startBrowserHost } from './server';

export async function runBrowserHost(extra: { workstation?: WorkstationMonitor } = {}): Promise<void> {
  const userDataDir = process.env.CLINICIAN_CONSOLE_USER_DATA ?? join(process.cwd(), '.sandbox', 'profile');
  const rendererDir = process.env.CLINICIAN_CONSOLE_RENDERER_DIR ?? join(process.cwd(), 'out', 'renderer');
  // main.log, as Electron's entry names it: "Save logs for IT" and IT find it under the same name.
  const logFile = join(userDataDir, 'logs', 'main.log');
  const log = createLogger([fileSink(logFile)]);
  const version = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;

  try {
    // The browser host is never an installed build: CLINICIAN_CONSOLE_POLICY counts, as in
    // development (the e2e suite and the sandbox set their policy through it).
    const config = loadConsoleConfig({ env: process.env, allowEnvPolicy: true, installed: false, log });
    if (config.settings) log.setLevel(config.settings.logLevel);
    const host = await startBrowserHost({
      config,
      userDataDir,
      rendererDir,
      log,
      logFile,
      version,
      port: Number(process.env.CLINICIAN_CONSOLE_PORT ?? 0),
      ...(extra.workstation ? { workstation: extra.workstation } : {}),
    });
    process.stdout.write(JSON.stringify({ url: host.url, control: host.controlSecret }) + '\n');
    const stop = async () => {
      await host.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`The console could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
