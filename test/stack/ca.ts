// A private certificate authority made fresh for each test run, plus a server
// certificate for 127.0.0.1 / localhost signed by it.
//
// Why: MSAL refuses an http:// authority, so the local identity provider must speak
// HTTPS, and the processes that talk to it must trust it without trusting anything
// else we could leak. A per-run CA whose private key never touches the disk means a
// stale or stolen ca.pem can vouch for nothing once the run is over.
//
// @peculiar/x509 resolves its internals through tsyringe, which refuses to load without
// a Reflect metadata polyfill, so the polyfill must be imported before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

export interface TestCa {
  /** Path of the CA certificate (PEM) inside `dir`; give it to Node as NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  caCertPem: string;
  /** Private key (PKCS#8 PEM) of the server certificate. Kept in memory only. */
  keyPem: string;
  /** Server certificate (PEM) for 127.0.0.1, ::1 and localhost. */
  certPem: string;
  /**
   * base64 SHA-256 of the server certificate's public key, the value Chromium's
   * `--ignore-certificate-errors-spki-list` wants: it lets a browser accept exactly this
   * server key without `ignoreHTTPSErrors` for everything.
   */
  serverSpkiSha256: string;
}

// @peculiar/x509 must be told which WebCrypto to use once per process.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function serialNumber(): string {
  const bytes = randomBytes(16);
  // A serial number is a positive INTEGER; a set high bit would make it negative in DER.
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function toPem(der: ArrayBuffer, label: string): string {
  return x509.PemConverter.encode(der, label);
}

export async function createTestCa(dir: string): Promise<TestCa> {
  const subtle = webcrypto.subtle;
  // Backdated by an hour so small clock differences between processes do not matter;
  // two days is plenty for a run and far below browsers' 398-day limit for leaf certs.
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);

  const caKeys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Clinician Console Test CA (per run, do not trust elsewhere)',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serverCert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=127.0.0.1',
    issuer: caCert.subject,
    notBefore,
    notAfter,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // Both the IP and the name: MSAL and the app use 127.0.0.1, browsers may use localhost.
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  const caCertPem = caCert.toString('pem');
  const certPem = serverCert.toString('pem');
  const keyPem = toPem(await subtle.exportKey('pkcs8', serverKeys.privateKey), 'PRIVATE KEY');
  const spki = await subtle.exportKey('spki', serverKeys.publicKey);
  const serverSpkiSha256 = createHash('sha256').update(Buffer.from(spki)).digest('base64');

  await mkdir(dir, { recursive: true });
  const caCertPath = path.join(dir, 'ca.pem');
  await writeFile(caCertPath, caCertPem + '\n', { mode: 0o644 });

  return { caCertPath, caCertPem, keyPem, certPem, serverSpkiSha256 };
}

export type FetchLike = (url: string | URL, init?: TrustingRequestInit) => Promise<Response>;

export interface TrustingRequestInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A fetch-like function that trusts exactly the given CA (and nothing else) for https,
 * and speaks plain http too. Redirects are never followed (callers see 3xx as is).
 *
 * Why not global fetch: Node's fetch only learns extra CAs from NODE_EXTRA_CA_CERTS,
 * which is read once at process start; an in-process test that created its CA after
 * start needs a client that takes the CA as an argument. Each request gets its own
 * connection (no keep-alive) so stopping a server never waits on an idle socket.
 */
export function trustingFetch(caCertPem: string): FetchLike {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const headers: Record<string, string> = {};
      if (init.headers instanceof Headers) init.headers.forEach((v, k) => (headers[k] = v));
      else Object.assign(headers, init.headers ?? {});
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      if (body) headers['content-length'] = String(body.length);
      const options: https.RequestOptions = {
        method: init.method ?? 'GET',
        headers,
        agent: false,
        ...(url.protocol === 'https:' ? { ca: caCertPem } : {}),
      };
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const one of v) h.append(k, one);
            else if (v !== undefined) h.set(k, v);
          }
          const status = res.statusCode ?? 500;
          // The Response constructor rejects a body for these statuses.
          const nullBody = status === 204 || status === 205 || status === 304;
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }));
        });
      });
      req.on('error', reject);
      if (init.signal) {
        if (init.signal.aborted) req.destroy(init.signal.reason as Error);
        else init.signal.addEventListener('abort', () => req.destroy(init.signal?.reason as Error), { once: true });
      }
      req.end(body);
    });
}
