/**
 * The first two steps for a server: its name resolves (the OS resolver, as the call's own
 * requests use it), and, for https/wss, a TLS handshake succeeds with a certificate this
 * process trusts for that name (the protocol and the days the certificate has left are
 * reported, so an expiry coming up shows in the ticket). An http address says "not TLS"
 * (only loopback addresses may be plain: settings.ts).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { errorCode, type Row, type rowsFor } from './rows';

type Rows = ReturnType<typeof rowsFor>;

export async function dnsStep(rows: Rows, url: URL): Promise<Row> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return rows.ok('dns', 'ip-address');
  try {
    const addresses = await lookup(host, { all: true });
    return rows.ok('dns', 'resolved', { addresses: addresses.length });
  } catch (error) {
    return rows.failed('dns', 'not-resolved', { error: errorCode(error) });
  }
}

export async function tlsStep(rows: Rows, url: URL, timeoutMs: number): Promise<Row> {
  if (url.protocol === 'http:' || url.protocol === 'ws:') return rows.skipped('tls', 'not-tls');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise<Row>((resolve) => {
    const socket = connect({ host, port, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(rows.failed('tls', 'timeout', { ms: timeoutMs }));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const daysLeft = cert?.valid_to ? Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000) : -1;
      resolve(rows.ok('tls', 'tls-ok', { protocol: socket.getProtocol() ?? '?', daysLeft }));
      socket.end();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(rows.failed('tls', 'tls-failed', { error: errorCode(error) }));
    });
  });
}
