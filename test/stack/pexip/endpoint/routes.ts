/**
 * `/_test/endpoint/…`: the dial-out test endpoint's page and its private protocol with the
 * double (register, long-poll, answer, hang up). Same origin as the page, which the double
 * serves itself with a strict CSP and no outside resources.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequest, readJsonObject, sendEmpty, sendJson, str } from '../http';
import { endpointAsset } from './page-assets';
import type { EndpointRegistry } from './registry';

export const ENDPOINT_PREFIX = '/_test/endpoint/';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function endpointRoute(
  registry: EndpointRegistry,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const name = url.pathname.slice(ENDPOINT_PREFIX.length);
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    if (name === 'poll') {
      const uri = url.searchParams.get('uri');
      if (!uri) throw new BadRequest('uri is required');
      const poll = registry.poll(uri, (events) => {
        if (!res.writableEnded && !res.destroyed) sendJson(res, 200, { events });
      });
      res.on('close', () => poll.cancel());
      return;
    }
    const asset = await endpointAsset(name || 'index.html');
    if (!asset) return sendEmpty(res, 404);
    res.writeHead(200, {
      'content-type': asset.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CSP,
    });
    res.end(asset.body);
    return;
  }
  if (method !== 'POST') return sendEmpty(res, 405);
  const body = await readJsonObject(req);
  switch (name) {
    case 'register': {
      const uri = str(body, 'uri');
      const registration = str(body, 'registration');
      if (!uri || !registration) throw new BadRequest('uri and registration are required');
      registry.register(uri, registration);
      return sendJson(res, 200, { registered: true });
    }
    case 'answer': {
      const callId = str(body, 'callId');
      const sdp = str(body, 'sdp');
      if (!callId || !sdp) throw new BadRequest('callId and sdp are required');
      const answer = await registry.answer(callId, sdp).catch(() => undefined);
      return answer ? sendJson(res, 200, { sdp: answer }) : sendJson(res, 404, { error: 'no such call' });
    }
    case 'hangup': {
      const callId = str(body, 'callId');
      if (!callId) throw new BadRequest('callId is required');
      return sendJson(res, 200, { ended: registry.hangup(callId) });
    }
    default:
      return sendEmpty(res, 404);
  }
}
