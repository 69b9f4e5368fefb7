/**
 * How the readiness check's steps write their rows, and how a network failure becomes a code:
 * a timeout, or "unreachable" with the system's error code (ECONNREFUSED, ENOTFOUND, a TLS
 * code), never a message that could carry a URL with a token in it.
 */
import type { ReadinessCode, ReadinessRow, ReadinessStepName } from '../../../common/readiness';

export type Row = ReadinessRow;
export type Params = NonNullable<ReadinessRow['params']>;

/** The rows of one server: a row maker bound to its kind and address. */
export function rowsFor(kind: ReadinessRow['kind'], server: string) {
  const shown = shownAddress(server).slice(0, 300);
  const row =
    (state: ReadinessRow['state']) =>
    (step: ReadinessStepName, code: ReadinessCode, params?: Params, inferred?: boolean): Row => ({
      kind,
      server: shown,
      step,
      state,
      code,
      ...(params && Object.keys(params).length ? { params } : {}),
      ...(inferred ? { inferred: true } : {}),
    });
  return { ok: row('ok'), failed: row('failed'), skipped: row('skipped') };
}

/**
 * A server's address as a ticket may show it: no user name, password, query or fragment
 * (Diagnostics' safeUrl does the same; this one keeps the check free of Diagnostics' imports).
 * A `stun:`/`turn:` URL (no `//`) is shown as ice-steps.ts trimmed it.
 */
export function shownAddress(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return value.replace(/[?#@].*$/, '');
  }
}

/** A system error code from a failed request (fetch wraps it in `cause`), else the error's name. */
export function errorCode(error: unknown): string {
  // The system's own (errno-style, E…) code where the chain has one, else the first code.
  const codes: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  const found = codes.find((c) => /^E[A-Z]/.test(c)) ?? codes[0];
  if (found) return found;
  const name = (error as Error | undefined)?.name;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'error';
}

export function isTimeout(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The failed row for a request that got no HTTP answer. */
export function noAnswer(rows: ReturnType<typeof rowsFor>, step: ReadinessStepName, error: unknown, timeoutMs: number): Row {
  return isTimeout(error) ? rows.failed(step, 'timeout', { ms: timeoutMs }) : rows.failed(step, 'unreachable', { error: errorCode(error) });
}
