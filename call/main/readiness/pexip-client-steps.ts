/**
 * The Conferencing Node's Client REST API, as the console uses it:
 * - it answers at all (`/api/client/v2/status`: any answer below 500, as the check before
 *   joining counts it; 5xx is a reverse proxy with no node behind it);
 * - the CORS preflight the call window's requests need (custom `token` header, JSON bodies)
 *   is allowed for the window's own origin;
 * - `request_token` on IT's PIN-less test VMR (`pexipTestAlias`) gives a token, whose answer
 *   carries the STUN/TURN servers the call will use (ice-steps.ts), the event stream opens
 *   for it from the window's origin, and `release_token` gives it back.
 * The token never leaves this module's variables: no row, no log line, no error carries it.
 */
import { z } from 'zod';
import { noAnswer, type Row, type rowsFor } from './rows';

type Rows = ReturnType<typeof rowsFor>;

export interface ClientContext {
  node: string;
  origin: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

const conferenceUrl = (ctx: ClientContext, alias: string, tail: string) => `${ctx.node}/api/client/v2/conferences/${encodeURIComponent(alias)}/${tail}`;

export async function clientApiStep(rows: Rows, ctx: ClientContext): Promise<Row> {
  try {
    const res = await ctx.fetch(`${ctx.node}/api/client/v2/status`, { signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status < 500 ? rows.ok('client-api', 'answered', { status: res.status }) : rows.failed('client-api', 'http-status', { status: res.status });
  } catch (error) {
    return noAnswer(rows, 'client-api', error, ctx.timeoutMs);
  }
}

/** The origin a CORS answer allows, matched the way a browser matches it. */
function allowsOrigin(res: Response, origin: string): boolean {
  const allowed = res.headers.get('access-control-allow-origin');
  return allowed === '*' || allowed === origin;
}

function listAllows(value: string | null, wanted: string): boolean {
  const items = (value ?? '').split(',').map((s) => s.trim().toLowerCase());
  return items.includes('*') || items.includes(wanted);
}

export async function corsStep(rows: Rows, ctx: ClientContext, alias: string): Promise<Row> {
  let res: Response;
  try {
    res = await ctx.fetch(conferenceUrl(ctx, alias, 'refresh_token'), {
      method: 'OPTIONS',
      headers: { origin: ctx.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,token' },
      signal: AbortSignal.timeout(ctx.timeoutMs),
      redirect: 'manual',
    });
    await res.body?.cancel();
  } catch (error) {
    return noAnswer(rows, 'cors', error, ctx.timeoutMs);
  }
  if (res.status < 200 || res.status > 299 || !allowsOrigin(res, ctx.origin)) return rows.failed('cors', 'cors-refused', { origin: ctx.origin, status: res.status });
  for (const header of ['token', 'content-type']) {
    if (!listAllows(res.headers.get('access-control-allow-headers'), header)) return rows.failed('cors', 'cors-header-missing', { origin: ctx.origin, header });
  }
  return rows.ok('cors', 'cors-allowed', { origin: ctx.origin });
}

/** What the check reads of a request_token answer (Pexip's, @pexip/infinity-api 20 token/types.d.ts). */
const TokenAnswer = z.object({
  result: z.object({
    token: z.string().min(1),
    role: z.string().optional(),
    stun: z.array(z.object({ url: z.string() })).optional(),
    turn: z.array(z.object({ urls: z.union([z.array(z.string()), z.string()]), username: z.string().optional(), credential: z.string().optional() })).optional(),
  }),
});
const PinAsked = z.object({ result: z.object({ pin: z.string() }) });

export interface IssuedToken {
  token: string;
  stun: string[];
  turn: Array<{ urls: string[]; username?: string; credential?: string }>;
}

export async function requestTokenStep(rows: Rows, ctx: ClientContext, alias: string): Promise<{ row: Row; issued: IssuedToken | null }> {
  let res: Response;
  let body: unknown;
  try {
    res = await ctx.fetch(conferenceUrl(ctx, alias, 'request_token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ display_name: 'Readiness check', call_tag: 'readiness-check' }),
      signal: AbortSignal.timeout(ctx.timeoutMs),
      redirect: 'manual',
    });
    body = await res.json().catch(() => null);
  } catch (error) {
    return { row: noAnswer(rows, 'request-token', error, ctx.timeoutMs), issued: null };
  }
  const answer = TokenAnswer.safeParse(body);
  if (res.status === 200 && answer.success) {
    const r = answer.data.result;
    return {
      row: rows.ok('request-token', 'token-issued', { role: (r.role ?? '?').slice(0, 10) }),
      issued: {
        token: r.token,
        stun: (r.stun ?? []).map((s) => s.url),
        turn: (r.turn ?? []).map((t) => ({ urls: Array.isArray(t.urls) ? t.urls : [t.urls], ...(t.username !== undefined ? { username: t.username } : {}), ...(t.credential !== undefined ? { credential: t.credential } : {}) })),
      },
    };
  }
  if (res.status === 403 && PinAsked.safeParse(body).success) return { row: rows.failed('request-token', 'token-pin-asked'), issued: null };
  return { row: rows.failed('request-token', 'token-refused', { status: res.status }), issued: null };
}

/** The event stream opens from the window's origin (EventSource: no custom headers, so no preflight), then closes. */
export async function eventsStep(rows: Rows, ctx: ClientContext, alias: string, token: string): Promise<Row> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ctx.timeoutMs);
  try {
    const res = await ctx.fetch(`${conferenceUrl(ctx, alias, 'events')}?${new URLSearchParams({ token }).toString()}`, {
      headers: { origin: ctx.origin, accept: 'text/event-stream' },
      signal: abort.signal,
      redirect: 'manual',
    });
    const opened = res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    // Closing it: the node sees the stream go, as when a window closes.
    abort.abort();
    await res.body?.cancel().catch(() => undefined);
    if (!opened) return rows.failed('events', 'events-refused', { status: res.status });
    if (!allowsOrigin(res, ctx.origin)) return rows.failed('events', 'cors-refused', { origin: ctx.origin, status: res.status });
    return rows.ok('events', 'events-opened');
  } catch (error) {
    return noAnswer(rows, 'events', error, ctx.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

export async function releaseTokenStep(rows: Rows, ctx: ClientContext, alias: string, token: string): Promise<Row> {
  try {
    const res = await ctx.fetch(conferenceUrl(ctx, alias, 'release_token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', token },
      body: '{}',
      signal: AbortSignal.timeout(ctx.timeoutMs),
      redirect: 'manual',
    });
    await res.body?.cancel();
    return res.status === 200 ? rows.ok('release-token', 'released') : rows.failed('release-token', 'release-refused', { status: res.status });
  } catch (error) {
    return noAnswer(rows, 'release-token', error, ctx.timeoutMs);
  }
}
