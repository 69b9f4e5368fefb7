/**
 * Runs the browser host as its own process (as Electron's main would be one):
 *   CLINICIAN_CONSOLE_CONFIG=<settings.json> CLINICIAN_CONSOLE_USER_DATA=<dir> tsx test/host/main.ts
 * Prints one JSON line {"url": ...} on stdout when ready; stops on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, fileSink } from '../../main/log/logger';
import { loadEffectiveSettings } from '../../main/settings/load';
import type { EffectiveSettings } from '../../main/settings/policy';
import type { Settings } from '../../main/settings/settings';
import { startBrowserHost } from './server';

const userDataDir = process.env.CLINICIAN_CONSOLE_USER_DATA ?? join(process.cwd(), '.sandbox', 'profile');
const rendererDir = process.env.CLINICIAN_CONSOLE_RENDERER_DIR ?? join(process.cwd(), 'out', 'renderer');
const log = createLogger([fileSink(join(userDataDir, 'logs', 'console.log'))]);
const version = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;

// Invalid settings or policy do not stop the host: the console shows an error screen
// naming the bad key, as the Electron app does.
let settings: Settings | { error: string };
let effective: EffectiveSettings | undefined;
try {
  effective = loadEffectiveSettings({ env: process.env, allowEnvPolicy: true });
  settings = effective.settings;
} catch (error) {
  log.error('settings are invalid', error);
  settings = { error: (error as Error).message };
}

try {
  const host = await startBrowserHost({
    settings,
    effective,
    userDataDir,
    rendererDir,
    log,
    version,
    port: Number(process.env.CLINICIAN_CONSOLE_PORT ?? 0),
  });
  process.stdout.write(JSON.stringify({ url: host.url }) + '\n');
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
