/**
 * The sync interval is 15 s for every installed console; only where the environment's policy
 * counts (development, the browser host, the e2e suite) may CLINICIAN_CONSOLE_SYNC_INTERVAL_MS
 * shorten it, for the cost tests, and never below 1 s or above 15 s.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from '../../../main/core/start';
import { createLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

function configWith(interval: string | undefined, opts: { allowEnvPolicy: boolean; installed: boolean }) {
  const settings = join(tempDir('cc-sync-interval-'), 'settings.json');
  writeFileSync(settings, JSON.stringify({ clientId: 'invented-client', bookingApiUrl: 'http://127.0.0.1:9/' }));
  const env: NodeJS.ProcessEnv = { CLINICIAN_CONSOLE_CONFIG: settings, ...(interval !== undefined ? { CLINICIAN_CONSOLE_SYNC_INTERVAL_MS: interval } : {}) };
  return loadConsoleConfig({ env, ...opts, log: createLogger([]) });
}

const development = { allowEnvPolicy: true, installed: false };

describe('the sync interval', () => {
  it('is 15 s unless the environment says otherwise', () => {
    expect(configWith(undefined, development).syncIntervalMs).toBe(15_000);
  });

  it('is shortened by the environment where its policy counts (tests, the browser host)', () => {
    const config = configWith('2000', development);
    expect(config.configError).toBeNull();
    expect(config.syncIntervalMs).toBe(2_000);
  });

  it('ignores the environment in an installed build', () => {
    expect(configWith('2000', { allowEnvPolicy: false, installed: true }).syncIntervalMs).toBe(15_000);
  });

  it.each(['999', '15001', '2500.5', 'soon'])('refuses %s, naming the variable, and starts nothing', (value) => {
    const config = configWith(value, development);
    expect(config.settings).toBeNull();
    expect(config.configError).toContain('CLINICIAN_CONSOLE_SYNC_INTERVAL_MS');
  });
});
