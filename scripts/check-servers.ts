/**
 * `npm run check-servers -- --settings <file> [--policy <file>] [--origin <origin>] [--json]`:
 * the readiness check of Diagnostics -> "Check conference servers" for IT's scripts. Reads the
 * settings as the console does (defaults < the settings file < this machine's policy < the
 * `--policy` file), asks every configured conference server step by step, prints the table
 * (or the report as JSON) and exits 0 when no step failed, 1 when one did, 2 on bad input.
 *
 * `--origin` is the call window's origin the CORS steps ask for; default `app://console`,
 * the installed app's. Nothing secret is printed (no PIN, token, password or name).
 */
import { parseArgs } from 'node:util';
import { readinessPassed } from '../common/readiness';
import { readinessText } from '../common/readiness-text';
import { runReadinessCheck } from '../call/main/readiness/readiness-check';
import { loadEffectiveSettings } from '../main/settings/load';
import { APP_ORIGIN } from '../main/windows/app-origin';

const USAGE = 'usage: npm run check-servers -- --settings <settings.json> [--policy <policy.json>] [--origin <origin>] [--timeout-ms <ms>] [--json]';

async function main(): Promise<number> {
  let values: { settings?: string; policy?: string; origin?: string; 'timeout-ms'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        settings: { type: 'string' },
        policy: { type: 'string' },
        origin: { type: 'string' },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const timeoutMs = values['timeout-ms'] === undefined ? 5000 : Number(values['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    process.stderr.write(`--timeout-ms must be a whole number of milliseconds from 100 to 60000\n${USAGE}\n`);
    return 2;
  }
  let settings;
  try {
    settings = loadEffectiveSettings({
      env: { ...(values.settings ? { CLINICIAN_CONSOLE_CONFIG: values.settings } : {}), ...(values.policy ? { CLINICIAN_CONSOLE_POLICY: values.policy } : {}) },
      allowEnvPolicy: true,
    }).settings;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (settings.conferenceServers.length === 0) {
    process.stderr.write('no conferenceServers in the settings or policy: nothing to check\n');
    return 2;
  }
  const report = await runReadinessCheck({ settings, origin: values.origin ?? APP_ORIGIN, timeoutMs });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${readinessText(report)}\n`);
  return readinessPassed(report) ? 0 : 1;
}

process.exitCode = await main();
