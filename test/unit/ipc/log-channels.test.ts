/**
 * The windows' log channel and "Save logs for IT" as the start-up wires them (main/core/start.ts)
 * behind the real router and contract: what a window may send, what is refused before it
 * reaches the log, and who may save the logs. In configuration-error mode, which needs no
 * servers: the log channel works there too (a broken configuration is worth a window's line).
 */
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../../main/core/ports';
import { startConsole, type ConsoleConfig } from '../../../main/core/start';
import { createLogger } from '../../../main/log/logger';
import { MAX_WINDOW_LOG_CHARS } from '../../../common/window-log';
import { tempDir } from '../../support/temp-dir';

async function setup(platform: Partial<Platform> = {}) {
  const lines: string[] = [];
  const config: ConsoleConfig = { settings: null, configError: 'Invalid settings in test: clientId', csp: '', externalOrigins: [] };
  const { router } = await startConsole(config, {
    platform: { host: 'browser', version: '1.0.0', locale: 'en', ...platform } as Platform,
    emit: () => {},
    log: createLogger([(line) => lines.push(line)]),
  });
  return { router, lines };
}

describe('log.write', () => {
  it('takes a line from either window and writes it tagged with that window', async () => {
    const { router, lines } = await setup();
    expect(await router.handle('log.write', { level: 'warn', source: 'call', message: 'subscriber answer failed' }, { window: 'call' })).toEqual({ ok: true, value: { done: true } });
    expect(await router.handle('log.write', { level: 'error', source: 'window', message: 'uncaught TypeError' }, { window: 'main' })).toMatchObject({ ok: true });
    expect(lines.filter((l) => l.includes('[app:window:'))).toEqual([
      expect.stringMatching(/WARN \[app:window:call\] call: subscriber answer failed$/),
      expect.stringMatching(/ERROR \[app:window:main\] window: uncaught TypeError$/),
    ]);
  });

  it.each([
    ['an unknown level', { level: 'fatal', source: 'call', message: 'x' }, 'level'],
    ['a source that is free text', { level: 'warn', source: 'Pat Example', message: 'x' }, 'source'],
    ['a message over the limit', { level: 'warn', source: 'call', message: 'x'.repeat(MAX_WINDOW_LOG_CHARS + 1) }, 'message'],
    ['a field the contract does not have', { level: 'warn', source: 'call', message: 'x', window: 'main' }, '(root)'],
  ])('refuses %s before anything is written, naming the field, never its value', async (_what, request, field) => {
    const { router, lines } = await setup();
    const result = await router.handle('log.write', request, { window: 'call' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request', params: { channel: 'log.write', fields: field } } });
    expect(lines.some((l) => l.includes('[app:window:'))).toBe(false);
    expect(lines.join('\n')).not.toContain('Pat Example');
  });
});

describe('app.saveLogs', () => {
  it('is for the main window only', async () => {
    const { router } = await setup({ chooseSavePath: async () => null });
    expect(await router.handle('app.saveLogs', {}, { window: 'call' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('says "not supported" where the host cannot save a file', async () => {
    const { router } = await setup();
    expect(await router.handle('app.saveLogs', {}, { window: 'main' })).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });

  it('saves the logs even without a Diagnostics report, and answers the file name only, never its folder', async () => {
    const dir = tempDir('cc-save-');
    const logFile = join(tempDir('cc-logs-'), 'main.log');
    writeFileSync(logFile, '2026-12-01T10:00:00.000Z ERROR [app] settings are invalid\n');
    const { router } = await setup({ logFile, chooseSavePath: async (name) => join(dir, name) });
    const result = await router.handle('app.saveLogs', {}, { window: 'main' });
    expect(result).toMatchObject({ ok: true, value: { saved: true, fileName: expect.stringMatching(/^clinician-console-logs-\d{8}-\d{6}\.zip$/) } });
    const fileName = (result as { value: { fileName: string } }).value.fileName;
    const entries = unzipSync(readFileSync(join(dir, fileName)));
    expect(strFromU8(entries['main.log']!)).toContain('settings are invalid');
    expect(strFromU8(entries['diagnostics.txt']!)).toContain('No Diagnostics report: config-invalid');
  });
});
