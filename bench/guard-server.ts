/**
 * The room guard alone in its own process for bench/guard.ts, so the flood's client side
 * does not share (and skew) the guard's event loop. Trusts 127.0.0.1 as its TLS proxy;
 * Janus is not needed for PINs and knocks (test/support/idle-janus.ts). Prints one JSON
 * line {"url"} and serves until stdin closes.
 */
import { createGuard } from '../janus-guard/guard';
import { startGuardServer } from '../janus-guard/server';
import { idleJanus } from '../test/support/idle-janus';

const server = await startGuardServer({
  guard: createGuard({ janus: idleJanus(), adminKey: 'bench-admin-key-0123456789' }),
  provisionKey: process.env.GUARD_PROVISION_KEY ?? '',
  trustedProxies: ['127.0.0.1'],
});
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void server.stop().then(() => process.exit(0)));
