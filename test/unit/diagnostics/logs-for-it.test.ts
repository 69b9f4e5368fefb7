/**
 * "Save logs for IT": one zip of main.log, the files it rotated to and the Diagnostics text,
 * every line redacted again on the way in, written where the user chose (or nothing when they
 * cancelled), never half-written under the final name. Real files, real rotation, real zip.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { logFilesOf, saveLogsForIt } from '../../../main/diagnostics/logs-for-it';
import { createLogger, fileSink } from '../../../main/log/logger';
import { setKnownSecrets } from '../../../main/log/redact';
import { tempDir } from '../../support/temp-dir';

afterEach(() => {
  setKnownSecrets('names', []);
  setKnownSecrets('pins', []);
});

/** A log that rotated three times (main.log, main.log.1 … main.log.3), as the logger's own sink does it. */
function rotatedLog(): string {
  const dir = tempDir('cc-logs-');
  const logFile = join(dir, 'logs', 'main.log');
  const log = createLogger([fileSink(logFile, { maxBytes: 400, keep: 3 })]);
  for (let i = 0; i < 22; i++) log.info(`sync ${i}: 2 meetings, 0 invalid`);
  return logFile;
}

function unzip(path: string): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(readFileSync(path))).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('saving the logs for IT', () => {
  it('finds main.log and its rotated files, newest first, and nothing else', () => {
    const logFile = rotatedLog();
    appendFileSync(join(logFile, '..', 'main.log.old'), 'not ours');
    appendFileSync(join(logFile, '..', 'other.log.1'), 'not ours');
    expect(logFilesOf(logFile).map((f) => f.split('/').at(-1))).toEqual(['main.log', 'main.log.1', 'main.log.2', 'main.log.3']);
    expect(logFilesOf(join(tempDir('cc-none-'), 'missing', 'main.log'))).toEqual([]);
  });

  it('writes one zip of every log file and the Diagnostics text, each line redacted again', async () => {
    const logFile = rotatedLog();
    // A line written before the redactor knew the name and the PIN (or by an older version).
    appendFileSync(`${logFile}.2`, '2026-12-01T10:00:00.000Z WARN [app:call] guest Åse Inventedottir lost, room 48392011\n');
    setKnownSecrets('names', ['Åse Inventedottir']);
    setKnownSecrets('pins', ['48392011']);
    const target = join(tempDir('cc-save-'), 'chosen.zip');
    const asked: string[] = [];
    const result = await saveLogsForIt({
      logFile,
      diagnosticsText: async () => 'Clinician Console 1.0.0 (browser)\nSettings:\n  logLevel = info  [default]',
      chooseSavePath: async (name) => {
        asked.push(name);
        return target;
      },
      now: () => new Date('2026-12-01T09:08:07Z'),
    });
    expect(asked).toEqual(['clinician-console-logs-20261201-090807.zip']);
    expect(result).toEqual({ saved: true, fileName: 'chosen.zip' });
    const entries = unzip(target);
    expect(Object.keys(entries).sort()).toEqual(['diagnostics.txt', 'main.log', 'main.log.1', 'main.log.2', 'main.log.3']);
    expect(entries['main.log.2']).toContain('guest [name] lost, room [pin]');
    expect(Object.values(entries).join('\n')).not.toMatch(/Inventedottir|48392011/);
    expect(entries['diagnostics.txt']).toContain('logLevel = info');
    // Every line the logger wrote is there (in some file).
    for (let i = 0; i < 22; i++) expect(Object.values(entries).join('\n')).toContain(`sync ${i}: 2 meetings`);
    expect(readdirSync(join(target, '..'))).toEqual(['chosen.zip']);
  });

  it('writes nothing when the user cancels', async () => {
    const dir = tempDir('cc-save-');
    const result = await saveLogsForIt({ logFile: rotatedLog(), diagnosticsText: async () => 'x', chooseSavePath: async () => null });
    expect(result).toEqual({ saved: false });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says why the place could not be written, by code only (the path may name the user), and leaves no partial file', async () => {
    // A folder that is gone by the time the zip is written (a removed USB stick, a share gone offline).
    const gone = join(tempDir('cc-save-'), 'Åse Inventedottir', 'Documents');
    const error = await saveLogsForIt({ logFile: rotatedLog(), diagnosticsText: async () => 'x', chooseSavePath: async () => join(gone, 'logs.zip') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).info).toEqual({ code: 'logs-not-saved', params: { reason: 'ENOENT' } });
    expect(JSON.stringify((error as UserFacingError).info)).not.toContain('Inventedottir');
    expect(existsSync(join(gone, 'logs.zip.partial'))).toBe(false);
  });
});
