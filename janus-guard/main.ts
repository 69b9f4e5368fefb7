/**
 * The Janus room guard as a service, for sites that run Janus (see README, "Janus sites").
 * Configured by environment:
 *   JANUS_HTTP_URL        Janus's HTTP API, e.g. http://127.0.0.1:8088/janus (keep it private)
 *   JANUS_ADMIN_KEY       the VideoRoom plugin's admin_key (janus.plugin.videoroom.jcfg)
 *   GUARD_PROVISION_KEY   the key the booking system provisions rooms with (16+ characters)
 *   GUARD_PORT, GUARD_HOST  where to listen (default 8090 on 127.0.0.1: put TLS in front)
 * Prints one JSON line {"url": ...} when listening; stops on SIGINT/SIGTERM.
 */
import { createGuard } from './guard';
import { createJanusAdmin } from './janus-admin';
import { startGuardServer } from './server';

function required(name: string, min = 1): string {
  const value = process.env[name] ?? '';
  if (value.length < min) {
    process.stderr.write(`janus-guard: ${name} must be set${min > 1 ? ` (at least ${min} characters)` : ''}\n`);
    process.exit(2);
  }
  return value;
}

const guard = createGuard({ janus: createJanusAdmin({ httpUrl: required('JANUS_HTTP_URL') }), adminKey: required('JANUS_ADMIN_KEY', 16) });
const server = await startGuardServer({
  guard,
  provisionKey: required('GUARD_PROVISION_KEY', 16),
  port: Number(process.env.GUARD_PORT ?? 8090),
  host: process.env.GUARD_HOST ?? '127.0.0.1',
  log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.stop().then(() => process.exit(0)));
