/**
 * Who is asking, for the attempt limits (attempts.ts). Behind the TLS proxy a site puts in
 * front of the guard every request comes from the proxy, so counting by the socket's peer
 * would make every caller one source. The proxy's `X-Forwarded-For` says who its client was,
 * but anyone can send that header: it is believed only when the peer is a configured
 * trusted proxy, and then only its right-most entries (appended by the trusted proxies
 * themselves); the left part is whatever the client wrote. An IPv6 client counts by its
 * /64: one machine typically holds a whole /64 and could otherwise take a new address per guess.
 */
import { BlockList, isIP } from 'node:net';

export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * `entries`: addresses or CIDR ranges ("10.0.0.5", "10.0.0.0/24", "fd00::/64"). Throws,
 * naming the entry, on one that is neither.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!family || extra !== undefined || (bits !== undefined && !(bits <= (family === 4 ? 32 : 128)))) {
      throw new Error(`not an address or address/prefix: "${entry}"`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return {
    has(address) {
      const plain = unmapped(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (all trusted: the left-most).
 * A malformed entry where the client should be means no trusted proxy wrote it: the last
 * trusted hop stands (the caller is counted as that proxy, never as what it claims).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies | null): string {
  const address = unmapped(peer ?? '');
  if (!trusted || !trusted.has(address) || forwardedFor === undefined) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => unmapped(hop.trim()));
  let client = address;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}

/** What the limits count by: an IPv4 address, or an IPv6 address's /64. */
export function sourceOf(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  return `${expand(plain).slice(0, 4).join(':')}::/64`;
}

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) is 192.0.2.1; a zone id goes. */
function unmapped(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain);
  return mapped ? mapped[1]! : plain;
}

/** The eight groups of an IPv6 address, lower case, without leading zeros. */
function expand(address: string): string[] {
  let text = address.toLowerCase();
  // An IPv4 tail ("::1.2.3.4") is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
