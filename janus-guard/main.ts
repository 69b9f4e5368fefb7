/**
 * The Janus room guard as a service, for sites that run Janus (see README, "Janus sites").
 * Configured by environment:
 *   JANUS_ADMIN_URL       Janus's Admin API, e.g. http://127.0.0.1:7088/admin (keep it private)
 *   JANUS_ADMIN_SECRET    its admin_secret (janus.jcfg; Janus runs with token_auth = true)
 *   JANUS_ADMIN_KEY       the VideoRoom plugin's admin_key (janus.plugin.videoroom.jcfg)
 *   GUARD_PROVISION_KEY   the key the booking system provisions rooms with (16+ characters)
 *   GUARD_PORT, GUARD_HOST  where to listen (default 8090 on 127.0.0.1: put TLS in front)
 *   GUARD_TRUSTED_PROXIES   that TLS proxy's address(es), comma-separated (CIDR ranges too):
 *                         their X-Forwarded-For names the caller the attempt limits count.
 *                         Unset: callers count by the connection's address (no proxy)
 *   GUARD_TEST_ROOM, GUARD_TEST_ROOM_PIN  optional: the readiness check's test room (its
 *                         reference, 16-64 of A-Z a-z 0-9 _ -) and host PIN (4-20 digits), as IT
 *                         also sets them in the console's policy (janusTestRooms); test-room.ts
 * Prints one JSON line {"url": ...} when listening; stops on SIGINT/SIGTERM.
 */
import { createGuard } from './guard';
import { createJanusAdmin } from './janus-admin';
import { trustedProxies } from './client-address';
import { startGuardServer } from './server';
import { provisionTestRoom } from './test-room';
import { GUARD_PIN, GUARD_ROOM_REFERENCE } from '../call/providers/janus/guard-api';

function required(name: string, min = 1): string {
  const value = process.env[name] ?? '';
  if (value.length < min) {
    process.stderr.write(`janus-guard: ${name} must be set${min > 1 ? ` (at least ${min} characters)` : ''}\n`);
    process.exit(2);
  }
  return value;
}

/** The proxies whose X-Forwarded-For is believed; a bad entry stops the start (a typo would count every caller as one). */
function proxies(): string[] {
  const entries = (process.env.GUARD_TRUSTED_PROXIES ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  try {
    trustedProxies(entries);
  } catch (error) {
    process.stderr.write(`janus-guard: GUARD_TRUSTED_PROXIES: ${(error as Error).message}\n`);
    process.exit(2);
  }
  return entries;
}

const guard = createGuard({ janus: createJanusAdmin({ adminUrl: required('JANUS_ADMIN_URL'), adminSecret: required('JANUS_ADMIN_SECRET', 16) }), adminKey: required('JANUS_ADMIN_KEY', 16) });
const testRoom = process.env.GUARD_TEST_ROOM ?? '';
if (testRoom) {
  const hostPin = process.env.GUARD_TEST_ROOM_PIN ?? '';
  if (!GUARD_ROOM_REFERENCE.test(testRoom) || !GUARD_PIN.test(hostPin)) {
    process.stderr.write('janus-guard: GUARD_TEST_ROOM must be 16-64 of A-Z a-z 0-9 _ - and GUARD_TEST_ROOM_PIN 4-20 digits\n');
    process.exit(2);
  }
  await provisionTestRoom(guard, { room: testRoom, hostPin });
}
const server = await startGuardServer({
  guard,
  provisionKey: required('GUARD_PROVISION_KEY', 16),
  port: Number(process.env.GUARD_PORT ?? 8090),
  host: process.env.GUARD_HOST ?? '127.0.0.1',
  trustedProxies: proxies(),
  log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.stop().then(() => process.exit(0)));
