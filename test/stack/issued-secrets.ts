/**
 * The credentials the stack's servers hand out while the e2e suite runs (the room guard's
 * host sessions, lobby watchers, guest secrets and Janus tokens; Pexip's participant
 * tokens; the identity provider's authorization codes), recorded for the privacy audit,
 * which then looks for each in what the console wrote.
 *
 * Observed at the HTTP level, through Node's diagnostics channel for every request an
 * HTTP(S) server of this process serves, so no server needs a hook of its own and a new
 * route that hands out a credential under one of the usual names is covered as it is added.
 * What counts: a JSON response's string values under a credential's name (`session`,
 * `watcher`, `token`, `secret`, `access_token`, …, at any depth), and the `code` of a
 * redirect's Location. Only values of 16 characters or more without spaces: error codes and
 * short states are not secrets, and a short value would match ordinary text.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';

const CREDENTIAL_FIELD = /^(?:session|watcher|token|secret|access_token|refresh_token|id_token|credential|ticket)$/i;
const CREDENTIAL_VALUE = /^[\w.~+/=-]{16,}$/;
/** Enough for any JSON answer that hands out a credential; event streams and pages are not read further. */
const MAX_BODY_BYTES = 64 * 1024;

const issued = new Set<string>();
let listening = false;

/** Starts recording (once per process; later calls do nothing). */
export function recordIssuedSecrets(): void {
  if (listening) return;
  listening = true;
  subscribe('http.server.request.start', (message) => observe((message as { response: ServerResponse }).response));
}

/** Every credential recorded so far. */
export function issuedSecrets(): string[] {
  return [...issued];
}

function observe(response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_BODY_BYTES) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size <= MAX_BODY_BYTES) chunks.push(bytes);
  };
  // Headers given to writeHead() never show in getHeader(): keep them as they pass.
  const headers = new Map<string, string>();
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  response.writeHead = ((...args: unknown[]) => {
    const given = args.find((a) => a !== null && typeof a === 'object');
    if (given && !Array.isArray(given)) for (const [k, v] of Object.entries(given)) headers.set(k.toLowerCase(), String(v));
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
  const header = (name: string) => headers.get(name) ?? String(response.getHeader(name) ?? '');
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  response.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  response.once('finish', () => {
    const location = header('location');
    if (location) {
      const code = new URL(location, 'http://localhost').searchParams.get('code');
      if (code && CREDENTIAL_VALUE.test(code)) issued.add(code);
    }
    if (size > MAX_BODY_BYTES || !header('content-type').includes('json')) return;
    try {
      collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      // not JSON after all: nothing handed out here
    }
  });
}

function collect(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (CREDENTIAL_FIELD.test(key) && CREDENTIAL_VALUE.test(value)) issued.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k);
  }
}
