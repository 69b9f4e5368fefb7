/**
 * Just enough STUN (RFC 5389) and TURN (RFC 5766) for the readiness check: a Binding request
 * (a STUN server answers with our mapped address), and an Allocate (a TURN server answers an
 * unauthenticated one with 401 and its realm and nonce; with the credentials from Pexip's
 * token answer, the long-term credential mechanism, it allocates a relay, which we give back
 * at once with a Refresh of lifetime 0). Over UDP (node:dgram) or TCP/TLS (a STUN message's
 * header carries its length, so TCP needs no other framing).
 *
 * Retransmission follows RFC 5389 7.2.1 for UDP (500 ms, doubling) within the caller's
 * timeout: a lost datagram is the protocol's normal case, not a failure.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const MAGIC = 0x2112a442;
const BINDING = 0x0001;
const ALLOCATE = 0x0003;
const REFRESH = 0x0004;
const SUCCESS = 0x0100;
const ERROR = 0x0110;

const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
} as const;

export interface IceServerUrl {
  scheme: 'stun' | 'turn' | 'turns';
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

/** `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:…` (RFC 7064, RFC 7065); null when it is none. */
export function parseIceUrl(url: string): IceServerUrl | null {
  const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?\s]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'stuns') return null; // STUN over TLS: nothing in Pexip's answers uses it.
  const secure = scheme === 'turns';
  const port = m[3] ? Number(m[3]) : secure ? 5349 : 3478;
  if (port < 1 || port > 65535) return null;
  return {
    scheme: scheme as IceServerUrl['scheme'],
    host: m[2]!.replace(/^\[|\]$/g, ''),
    port,
    transport: secure ? 'tcp' : ((m[4]?.toLowerCase() as 'udp' | 'tcp' | undefined) ?? 'udp'),
  };
}

interface Attribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: Attribute[];
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** A request; with `key`, MESSAGE-INTEGRITY over it (RFC 5389 15.4). */
export function encode(type: number, transactionId: Buffer, attributes: Attribute[], key?: Buffer): Buffer {
  const body = Buffer.concat(attributes.map((a) => attribute(a.type, a.value)));
  const header = (length: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC, 4);
    transactionId.copy(h, 8);
    return h;
  };
  if (!key) return Buffer.concat([header(body.length), body]);
  // The length counts MESSAGE-INTEGRITY itself (24 bytes); the HMAC covers everything before it.
  const signed = Buffer.concat([header(body.length + 24), body]);
  const hmac = createHmac('sha1', key).update(signed).digest();
  return Buffer.concat([signed, attribute(ATTR.messageIntegrity, hmac)]);
}

export function decode(data: Buffer): StunMessage | null {
  if (data.length < 20 || data.readUInt32BE(4) !== MAGIC || (data[0]! & 0xc0) !== 0) return null;
  const length = data.readUInt16BE(2);
  if (data.length < 20 + length) return null;
  const attributes: Attribute[] = [];
  for (let at = 20; at + 4 <= 20 + length; ) {
    const type = data.readUInt16BE(at);
    const len = data.readUInt16BE(at + 2);
    if (at + 4 + len > 20 + length) return null;
    attributes.push({ type, value: data.subarray(at + 4, at + 4 + len) });
    at += 4 + Math.ceil(len / 4) * 4;
  }
  return { type: data.readUInt16BE(0), transactionId: data.subarray(8, 20), attributes };
}

function errorCodeOf(message: StunMessage): number | null {
  const v = message.attributes.find((a) => a.type === ATTR.errorCode)?.value;
  return v && v.length >= 4 ? (v[2]! & 0x07) * 100 + v[3]! : null;
}

function stringAttr(message: StunMessage, type: number): string | undefined {
  return message.attributes.find((a) => a.type === type)?.value.toString('utf8');
}

/** One STUN transport: send a request, get its answer (matched by transaction id). */
interface Transport {
  ask(request: Buffer, transactionId: Buffer, deadline: number): Promise<StunMessage | null>;
  close(): void;
}

async function udpTransport(server: IceServerUrl): Promise<Transport> {
  const family = isIP(server.host) === 6 || (isIP(server.host) === 0 && server.host.includes(':')) ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  socket.on('error', () => undefined);
  let waiting: { id: Buffer; done: (m: StunMessage) => void } | null = null;
  socket.on('message', (data) => {
    const m = decode(data);
    if (m && waiting && m.transactionId.equals(waiting.id)) waiting.done(m);
  });
  return {
    ask: (request, id, deadline) =>
      new Promise((resolve) => {
        let wait = 500;
        let timer: NodeJS.Timeout | undefined;
        const finish = (m: StunMessage | null) => {
          clearTimeout(timer);
          waiting = null;
          resolve(m);
        };
        waiting = { id, done: finish };
        const send = () => {
          const left = deadline - Date.now();
          if (left <= 0) return finish(null);
          socket.send(request, server.port, server.host, () => undefined);
          timer = setTimeout(send, Math.min(wait, left));
          wait *= 2;
        };
        send();
      }),
    close: () => socket.close(),
  };
}

async function streamTransport(server: IceServerUrl, deadline: number): Promise<Transport | null> {
  const socket: Socket = await new Promise((resolve) => {
    const s =
      server.scheme === 'turns'
        ? tlsConnect({ host: server.host, port: server.port, ...(isIP(server.host) ? {} : { servername: server.host }) })
        : tcpConnect({ host: server.host, port: server.port });
    const fail = () => {
      s.destroy();
      resolve(null as unknown as Socket);
    };
    const timer = setTimeout(fail, Math.max(0, deadline - Date.now()));
    s.once(server.scheme === 'turns' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', () => {
      clearTimeout(timer);
      fail();
    });
  });
  if (!socket) return null;
  socket.on('error', () => undefined);
  let buffered = Buffer.alloc(0);
  let waiting: { id: Buffer; done: (m: StunMessage) => void } | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 20 && buffered.length >= 20 + buffered.readUInt16BE(2)) {
      const size = 20 + buffered.readUInt16BE(2);
      const m = decode(buffered.subarray(0, size));
      buffered = buffered.subarray(size);
      if (m && waiting && m.transactionId.equals(waiting.id)) waiting.done(m);
    }
  });
  return {
    ask: (request, id, deadline) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => finish(null), Math.max(0, deadline - Date.now()));
        const finish = (m: StunMessage | null) => {
          clearTimeout(timer);
          waiting = null;
          resolve(m);
        };
        waiting = { id, done: finish };
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}

async function open(server: IceServerUrl, deadline: number): Promise<Transport | null> {
  return server.transport === 'udp' ? udpTransport(server) : streamTransport(server, deadline);
}

export type BindingResult = { ok: true } | { ok: false; reason: 'no-answer' | 'bad-answer'; status?: number };

/** A Binding request: a success answer with a mapped address proves a STUN server. */
export async function stunBinding(server: IceServerUrl, timeoutMs: number): Promise<BindingResult> {
  const deadline = Date.now() + timeoutMs;
  const transport = await open(server, deadline);
  if (!transport) return { ok: false, reason: 'no-answer' };
  try {
    const id = randomBytes(12);
    const answer = await transport.ask(encode(BINDING, id, []), id, deadline);
    if (!answer) return { ok: false, reason: 'no-answer' };
    if (answer.type === (BINDING | SUCCESS) && answer.attributes.some((a) => a.type === ATTR.xorMappedAddress || a.type === 0x0001)) return { ok: true };
    return { ok: false, reason: 'bad-answer', ...(answer.type === (BINDING | ERROR) ? { status: errorCodeOf(answer) ?? 0 } : {}) };
  } finally {
    transport.close();
  }
}

export type AllocateResult =
  /** A relay was allocated with the credentials (and given back). */
  | { ok: true; allocated: true }
  /** No credentials: the server asked for them (401 with a realm and nonce), so a TURN server is there [inferred]. */
  | { ok: true; allocated: false }
  | { ok: false; reason: 'no-answer' | 'refused'; status?: number };

const requestedUdp = { type: ATTR.requestedTransport, value: Buffer.from([17, 0, 0, 0]) };

/** An Allocate, then (with credentials) the authenticated Allocate and a Refresh of lifetime 0. */
export async function turnAllocate(server: IceServerUrl, credentials: { username: string; credential: string } | null, timeoutMs: number): Promise<AllocateResult> {
  const deadline = Date.now() + timeoutMs;
  const transport = await open(server, deadline);
  if (!transport) return { ok: false, reason: 'no-answer' };
  try {
    const first = randomBytes(12);
    const challenge = await transport.ask(encode(ALLOCATE, first, [requestedUdp]), first, deadline);
    if (!challenge) return { ok: false, reason: 'no-answer' };
    // A server that allocates for anyone is alive too (and open: IT may want to know, but it works).
    if (challenge.type === (ALLOCATE | SUCCESS)) return { ok: true, allocated: true };
    const realm = stringAttr(challenge, ATTR.realm);
    const nonce = stringAttr(challenge, ATTR.nonce);
    if (challenge.type !== (ALLOCATE | ERROR) || errorCodeOf(challenge) !== 401 || realm === undefined || nonce === undefined) {
      return { ok: false, reason: 'refused', status: errorCodeOf(challenge) ?? 0 };
    }
    if (!credentials) return { ok: true, allocated: false };
    // Long-term credentials (RFC 5389 15.4): key = MD5(username ":" realm ":" password).
    const key = createHash('md5').update(`${credentials.username}:${realm}:${credentials.credential}`).digest();
    const auth = [
      { type: ATTR.username, value: Buffer.from(credentials.username, 'utf8') },
      { type: ATTR.realm, value: Buffer.from(realm, 'utf8') },
      { type: ATTR.nonce, value: Buffer.from(nonce, 'utf8') },
    ];
    const second = randomBytes(12);
    const allocated = await transport.ask(encode(ALLOCATE, second, [requestedUdp, ...auth], key), second, deadline);
    if (!allocated) return { ok: false, reason: 'no-answer' };
    if (allocated.type !== (ALLOCATE | SUCCESS) || !allocated.attributes.some((a) => a.type === ATTR.xorRelayedAddress)) {
      return { ok: false, reason: 'refused', status: errorCodeOf(allocated) ?? 0 };
    }
    // Give the relay back at once (lifetime 0); its answer does not change the result.
    const third = randomBytes(12);
    await transport.ask(encode(REFRESH, third, [{ type: ATTR.lifetime, value: Buffer.alloc(4) }, ...auth], key), third, Math.min(deadline, Date.now() + 1000));
    return { ok: true, allocated: true };
  } finally {
    transport.close();
  }
}
