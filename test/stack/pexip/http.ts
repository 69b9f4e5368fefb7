/**
 * Small HTTP helpers shared by the double's routes: CORS as a Conferencing Node sends it,
 * JSON in the `{status, result}` wrapper, and bounded request bodies.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Listens on a free port of 127.0.0.1 (test traffic stays on loopback); resolves to the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
}

/**
 * Every answer carries these: the console's pages come from another origin (`null` for an
 * Electron file page), and @pexip/infinity uses no credentials, so `*` is enough.
 */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
} as const;

/** What a preflight may ask for: `pin` (request_token), `token` (everything after it), JSON bodies. */
export const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'access-control-allow-headers': 'content-type, token, pin',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-max-age': '600',
} as const;

export type PexipStatus = 'success' | 'failed';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    ...CORS_HEADERS,
    // The @pexip/infinity-api wrappers throw NonJSONResponseError unless this starts with application/json.
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The Client REST API wrapper: `{"status": "success"|"failed", "result": ...}`. */
export function sendResult(res: ServerResponse, code: number, status: PexipStatus, result: unknown): void {
  sendJson(res, code, { status, result });
}

export function sendEmpty(res: ServerResponse, code: number, headers: Record<string, string> = {}): void {
  res.writeHead(code, { ...CORS_HEADERS, ...headers });
  res.end();
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { ...CORS_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export class BadRequest extends Error {}

const MAX_BODY = 1 << 20;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object body; an empty body reads as `{}` (refresh_token and many POSTs send none). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequest('body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequest('body is not a JSON object');
  return parsed as Record<string, unknown>;
}

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}
