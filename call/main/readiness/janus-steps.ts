/**
 * A Janus site: the room guard answers (its rooms collection, any answer below 500: it
 * refuses an unauthenticated request, which proves it is there), Janus's WebSocket transport
 * accepts an upgrade with the `janus-protocol` subprotocol (closed at once), and, with IT's
 * test room for that domain (`janusTestRooms`), a host is admitted and joins it in Janus
 * (janus-admission.ts). Without a test room the admission step is skipped, saying so.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { guardRoomsUrl } from '../../providers/janus/guard-api';
import { dnsStep, tlsStep } from './network-steps';
import type { JanusTestRoom } from '../../../main/settings/settings';
import { admissionStep } from './janus-admission';
import { errorCode, noAnswer, rowsFor, type Row } from './rows';

export async function guardSteps(guardUrl: string, opts: { fetch: typeof fetch; timeoutMs: number }): Promise<Row[]> {
  const rows = rowsFor('room-guard', guardUrl);
  const url = new URL(guardUrl);
  const dns = await dnsStep(rows, url);
  if (dns.state === 'failed') return [dns];
  const tls = await tlsStep(rows, url, opts.timeoutMs);
  if (tls.state === 'failed') return [dns, tls];
  let answer: Row;
  try {
    const res = await opts.fetch(guardRoomsUrl(guardUrl), { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    answer = res.status < 500 ? rows.ok('guard', 'answered', { status: res.status }) : rows.failed('guard', 'http-status', { status: res.status });
  } catch (error) {
    answer = noAnswer(rows, 'guard', error, opts.timeoutMs);
  }
  return [dns, tls, answer];
}

/** The admission row (kind room-guard): after the guard's and Janus's own rows, which it needs. */
export async function guardAdmissionStep(
  server: { guardUrl: string; url: string },
  testRoom: JanusTestRoom | undefined,
  earlier: readonly Row[],
  opts: { fetch: typeof fetch; timeoutMs: number },
): Promise<Row> {
  const rows = rowsFor('room-guard', server.guardUrl);
  if (!testRoom) return rows.skipped('admission', 'no-test-room');
  if (earlier.some((r) => r.state === 'failed')) return rows.skipped('admission', 'earlier-step-failed');
  return admissionStep(rows, testRoom, { guardUrl: server.guardUrl, janusUrl: server.url, ...opts });
}

export async function janusSteps(wsUrl: string, opts: { timeoutMs: number }): Promise<Row[]> {
  const rows = rowsFor('janus', wsUrl);
  const url = new URL(wsUrl);
  const dns = await dnsStep(rows, url);
  if (dns.state === 'failed') return [dns];
  const tls = await tlsStep(rows, url, opts.timeoutMs);
  if (tls.state === 'failed') return [dns, tls];
  return [dns, tls, await upgradeStep(rows, url, opts.timeoutMs)];
}

function upgradeStep(rows: ReturnType<typeof rowsFor>, url: URL, timeoutMs: number): Promise<Row> {
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  return new Promise<Row>((resolve) => {
    const req = request({
      protocol: secure ? 'https:' : 'http:',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'janus-protocol',
      },
      timeout: timeoutMs,
    });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.headers['sec-websocket-protocol'] === 'janus-protocol' ? rows.ok('janus', 'websocket-upgraded') : rows.failed('janus', 'not-websocket', { status: 101 }));
    });
    req.once('response', (res) => {
      res.resume();
      req.destroy();
      resolve(rows.failed('janus', 'not-websocket', { status: res.statusCode ?? 0 }));
    });
    req.once('timeout', () => {
      req.destroy();
      resolve(rows.failed('janus', 'timeout', { ms: timeoutMs }));
    });
    req.once('error', (error) => resolve(rows.failed('janus', 'unreachable', { error: errorCode(error) })));
    req.end();
  });
}
