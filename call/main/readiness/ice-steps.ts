/**
 * The STUN and TURN servers a Conferencing Node hands out in its request_token answer (what
 * the call's RTCPeerConnection will use): each STUN URL answers a Binding request; each TURN
 * URL answers an Allocate. With the answer's credentials a relay is allocated (and given back
 * at once): proven. Without credentials, a 401 asking for them shows a TURN server is there,
 * not that the call could use it: marked inferred.
 */
import { parseIceUrl, stunBinding, turnAllocate } from './stun-client';
import { rowsFor, type Row } from './rows';
import type { IssuedToken } from './pexip-client-steps';

/** At most this many URLs of each kind are asked (a node lists one or two). */
const MAX_URLS = 4;

/** A URL as the table shows it: scheme, host, port and transport (never credentials). */
function shown(url: string): string {
  return url.replace(/[?#].*$/, (q) => (/^\?transport=(udp|tcp)$/i.test(q) ? q : '')).slice(0, 200);
}

export async function stunSteps(issued: IssuedToken, node: string, timeoutMs: number): Promise<Row[]> {
  if (issued.stun.length === 0) return [rowsFor('pexip', node).skipped('stun', 'no-stun-in-token')];
  return Promise.all(
    issued.stun.slice(0, MAX_URLS).map(async (url) => {
      const rows = rowsFor('stun', shown(url));
      const server = parseIceUrl(url);
      if (!server || server.scheme !== 'stun') return rows.failed('stun', 'stun-bad-answer', { reason: 'url' });
      const result = await stunBinding(server, timeoutMs);
      if (result.ok) return rows.ok('stun', 'stun-answered');
      return result.reason === 'no-answer' ? rows.failed('stun', 'stun-no-answer', { ms: timeoutMs }) : rows.failed('stun', 'stun-bad-answer', { status: result.status ?? 0 });
    }),
  );
}

export async function turnSteps(issued: IssuedToken, node: string, timeoutMs: number): Promise<Row[]> {
  const urls = issued.turn.flatMap((t) => t.urls.map((url) => ({ url, credentials: t.username !== undefined && t.credential !== undefined ? { username: t.username, credential: t.credential } : null })));
  if (urls.length === 0) return [rowsFor('pexip', node).skipped('turn', 'no-turn-in-token')];
  return Promise.all(
    urls.slice(0, MAX_URLS).map(async ({ url, credentials }) => {
      const rows = rowsFor('turn', shown(url));
      const server = parseIceUrl(url);
      if (!server || server.scheme === 'stun') return rows.failed('turn', 'turn-refused', { reason: 'url' });
      const result = await turnAllocate(server, credentials, timeoutMs);
      if (result.ok) return result.allocated ? rows.ok('turn', 'turn-allocated') : rows.ok('turn', 'turn-answered', undefined, true);
      return result.reason === 'no-answer' ? rows.failed('turn', 'turn-no-answer', { ms: timeoutMs }) : rows.failed('turn', 'turn-refused', { status: result.status ?? 0 });
    }),
  );
}
