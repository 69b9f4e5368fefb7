/**
 * Lines the windows send to main's log (`log.write`). Main trusts none of it: the text goes
 * through the same logger (and so the same redactor) as main's own lines, is flattened to one
 * line (a renderer cannot forge a second log line with a newline), and is tagged with the
 * window's kind as main's router established it, never as the window claims.
 *
 * Each window has a token bucket: a burst of `burst` lines, then `perSecond` a second. A
 * window that logs faster (a listener throwing on every frame) loses lines, and the next line
 * that gets through is preceded by one saying how many were dropped, so a flood costs a
 * bounded amount of disk and CPU and the log still says it happened. Lines below the
 * configured level are skipped before the bucket, so debug chatter costs no tokens.
 */
import type { WindowKind, WindowLogLine } from '../../preload/contract';
import { LEVELS, type Level, type Logger } from './logger';

export interface WindowLogOptions {
  log: Logger;
  /** The least severe level written (settings' logLevel). */
  level: () => Level;
  /** Lines a window may send at once. */
  burst?: number;
  /** Lines a second a window may send in the long run. */
  perSecond?: number;
  /** Milliseconds, monotonic; injectable for the unit tests. */
  now?: () => number;
}

export interface WindowLog {
  write(window: WindowKind, line: WindowLogLine): void;
}

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
  log: Logger;
}

/** Control characters, and the line and paragraph separators some viewers break lines at. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const LINE_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export function createWindowLog(opts: WindowLogOptions): WindowLog {
  const burst = opts.burst ?? 30;
  const perSecond = opts.perSecond ?? 5;
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<WindowKind, Bucket>();

  function bucketOf(window: WindowKind): Bucket {
    let bucket = buckets.get(window);
    if (!bucket) {
      bucket = { tokens: burst, at: now(), dropped: 0, log: opts.log.child(`window:${window}`) };
      buckets.set(window, bucket);
    }
    const t = now();
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    return bucket;
  }

  return {
    write(window, line) {
      if (LEVELS.indexOf(line.level) < LEVELS.indexOf(opts.level())) return;
      const bucket = bucketOf(window);
      if (bucket.tokens < 1) {
        bucket.dropped++;
        return;
      }
      bucket.tokens -= 1;
      if (bucket.dropped > 0) {
        bucket.log.warn(`${bucket.dropped} line(s) from this window were dropped (more than ${perSecond} a second)`);
        bucket.dropped = 0;
      }
      const text = `${line.source}: ${line.message.replace(LINE_BREAKERS, ' ').trim()}`;
      bucket.log[line.level](text);
    },
  };
}
