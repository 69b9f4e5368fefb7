/**
 * The console's logger: every message goes through the redactor, errors are reduced to their
 * name, code and (redacted) message, never their full objects (which may hold request
 * bodies). Sinks are pluggable: a file in production, stderr under the browser host.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
  child(scope: string): Logger;
}

export type Sink = (line: string) => void;

/**
 * A log file that rotates by size: console.log, console.log.1 … console.log.<keep>, the
 * oldest dropped. Bounded on disk, so a workstation never fills up with logs.
 */
export function fileSink(path: string, opts: { maxBytes?: number; keep?: number } = {}): Sink {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const keep = opts.keep ?? 3;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let size = existsSync(path) ? statSync(path).size : 0;
  return (line) => {
    const bytes = Buffer.byteLength(line) + 1;
    if (size > 0 && size + bytes > maxBytes) {
      for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      if (keep > 0) renameSync(path, `${path}.1`);
      else rmSync(path, { force: true });
      rmSync(`${path}.${keep + 1}`, { force: true });
      size = 0;
    }
    appendFileSync(path, line + '\n', { mode: 0o600 });
    size += bytes;
  };
}

export const stderrSink: Sink = (line) => process.stderr.write(line + '\n');

/** From least to most severe: a logger writes its level and everything after it. */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly Level[];

/** The logger an entry creates: its level can change once IT's policy is read (`logLevel`). */
export interface RootLogger extends Logger {
  /** For this logger and every child made from it, before or after. */
  setLevel(level: Level): void;
  level(): Level;
}

export function createLogger(sinks: Sink[], scope = 'app', minLevel: Level = 'info'): RootLogger {
  // One holder shared by the whole tree, so the policy's level reaches children made earlier.
  const state = { level: minLevel };
  const root = scopedLogger(sinks, scope, state);
  return {
    ...root,
    setLevel(level) {
      if (!LEVELS.includes(level)) throw new TypeError(`unknown log level: ${String(level)}`);
      state.level = level;
    },
    level: () => state.level,
  };
}

function scopedLogger(sinks: Sink[], scope: string, state: { level: Level }): Logger {
  const write = (level: Level, message: string, error?: unknown) => {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(state.level)) return;
    const detail = error === undefined ? '' : ` (${describeError(error)})`;
    // Only the message and the error pass the redactor: the timestamp, level and scope are
    // ours, and redacting them would only cost time (and could mangle the timestamp).
    const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${redact(`${message}${detail}`)}`;
    for (const sink of sinks) sink(line);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
    child: (child) => scopedLogger(sinks, `${scope}:${child}`, state),
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = error.cause instanceof Error ? `; cause: ${describeError(error.cause)}` : '';
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}${cause}`;
  }
  return typeof error;
}

/** For tests and tools that want silence. */
export const nullLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => nullLogger,
};
