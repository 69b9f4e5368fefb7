/**
 * A stand-in for the SMS gateway hospital IT configures (`smsGatewayUrl`): it accepts
 * `POST {to, text}` as JSON on 127.0.0.1 and records what it would have sent, so tests and
 * the sandbox can see the invitation without a phone network.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsGatewayHandle {
  url: string;
  /** Every message accepted, in order. */
  sent: Array<{ to: string; text: string }>;
  stop(): Promise<void>;
}

/**
 * Every number any stand-in of this process was asked to text: the privacy audit looks for
 * each in what the console wrote (test/e2e/privacy-manifest.ts); they may be only in the
 * encrypted schedule database.
 */
const numbersTexted = new Set<string>();
export function everyNumberTexted(): string[] {
  return [...numbersTexted];
}

export async function startSmsGateway(): Promise<SmsGatewayHandle> {
  const sent: SmsGatewayHandle['sent'] = [];
  const server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown; text?: unknown };
        if (typeof body.to !== 'string' || typeof body.text !== 'string') throw new Error('bad body');
        sent.push({ to: body.to, text: body.text });
        numbersTexted.add(body.to);
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"queued"}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    sent,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
