/**
 * "Save logs for IT": one zip with main.log (and the files it rotated to: main.log.1 …) and
 * the Diagnostics text, written where the user picks, for a support ticket.
 *
 * Every line is redacted again on the way into the zip (belt and braces): the redactor now
 * may know more than when the line was written (the day's subjects and PINs, the account's
 * name are registered as they are seen), and a rotated file may come from an older version
 * with fewer rules. The zip is written next to its destination and renamed into place, so a
 * half-written file never has the final name.
 *
 * fflate makes the zip: a small, dependency-free, widely used (MIT) compressor that runs the
 * same in Node and Electron's main, and streams (see buildLogsZip).
 */
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { SavedLogs } from '../../preload/contract';
import { UserFacingError } from '../core/errors';
import { redact } from '../log/redact';

export interface LogsForItOptions {
  /** main.log; absent: the zip holds the Diagnostics text only. */
  logFile?: string;
  /** The Diagnostics report as text (already free of personal data; redacted again anyway). */
  diagnosticsText: () => Promise<string>;
  /** Where to write the zip (the save dialog, or the browser host's fixed folder); null: cancelled. */
  chooseSavePath: (suggestedName: string) => Promise<string | null>;
  now?: () => Date;
}


/** main.log and its rotated files (main.log.1, main.log.2, …), newest first. */
export function logFilesOf(logFile: string): string[] {
  const dir = dirname(logFile);
  const name = basename(logFile);
  if (!existsSync(dir)) return [];
  const rotated = readdirSync(dir)
    .map((entry) => ({ entry, n: new RegExp(`^${escapeRegExp(name)}\\.(\\d{1,3})$`).exec(entry)?.[1] }))
    .filter((r): r is { entry: string; n: string } => r.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map((r) => join(dir, r.entry));
  return [...(existsSync(logFile) ? [logFile] : []), ...rotated];
}

/** Lines redacted and compressed per slice, between which main's event loop runs (IPC, timers). */
const SLICE_LINES = 500;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The zip's bytes: each log file and diagnostics.txt, redacted again. Streamed through
 * fflate's Zip in slices of lines with a turn of the event loop between them: a full log set
 * (four 5 MB files) takes about a second of CPU, which must not freeze main's IPC for that long.
 */
export async function buildLogsZip(opts: Pick<LogsForItOptions, 'logFile' | 'diagnosticsText'> & { now: Date }): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  const addText = async (name: string, text: string) => {
    const entry = new ZipDeflate(name, { level: 6 });
    entry.mtime = opts.now;
    zip.add(entry);
    const lines = text.split('\n');
    for (let from = 0; from < lines.length; from += SLICE_LINES) {
      const slice = lines.slice(from, from + SLICE_LINES).map((line) => (line === '' ? line : redact(line)));
      const last = from + SLICE_LINES >= lines.length;
      entry.push(strToU8(slice.join('\n') + (last ? '' : '\n')), last);
      if (!last) await nextTurn();
    }
  };
  for (const file of opts.logFile ? logFilesOf(opts.logFile) : []) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // rotated away between listing and reading
    }
    await addText(basename(file), text);
    await nextTurn();
  }
  await addText('diagnostics.txt', (await opts.diagnosticsText()) + '\n');
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

export async function saveLogsForIt(opts: LogsForItOptions): Promise<SavedLogs> {
  const now = (opts.now ?? (() => new Date()))();
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const target = await opts.chooseSavePath(`clinician-console-logs-${stamp}.zip`);
  if (!target) return { saved: false };
  const zip = await buildLogsZip({ ...opts, now });
  const partial = `${target}.partial`;
  try {
    writeFileSync(partial, zip, { mode: 0o600 });
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    // The errno code only: the path may hold the user's name (C:\\Users\\<name>\\…).
    const code = (error as { code?: unknown }).code;
    throw new UserFacingError('logs-not-saved', { reason: typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'error' });
  }
  return { saved: true, fileName: basename(target) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
