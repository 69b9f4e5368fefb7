// `npm run sandbox`: the full test stack for trying the console by hand.
//
// stdout gets exactly one JSON line (issuer, client id, API scope, VDX, Janus, room guard
// and Pexip URLs, CA path, the invented demo accounts, a ready bearer token, and the console's
// settings and policy), so scripts
// can read it; everything else goes to stderr. Runs until SIGINT/SIGTERM, then stops
// everything and exits 0. `--no-janus` and `--no-pexip` leave out that conference server.
// `pexipUrl + "/api/client/v2/conferences/<alias>/request_token"` is the Pexip endpoint;
// `pexipDomain` is the domain of its meetings' uriWithDomain.
import { startGuestPage, type GuestServer } from './guest/build.mjs';
import { consolePolicyFor, consoleSettingsFor, startStack, type Stack } from './stack';

const withJanus = !process.argv.includes('--no-janus');
const withPexip = !process.argv.includes('--no-pexip');
/** The printed token is for poking the API by hand (curl), so it lives for a working day. */
const SANDBOX_TOKEN_TTL_SECONDS = 8 * 3600;

let stack: Stack | undefined;
let guests: GuestServer | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`sandbox: ${signal}, stopping\n`);
  try {
    await guests?.stop();
    await stack?.stop();
    process.exit(0);
  } catch (e) {
    process.stderr.write(`sandbox: stop failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  }
}

// Registered before anything starts, so a signal during start-up also cleans up.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(sig));

async function main(): Promise<void> {
  process.stderr.write(`sandbox: starting (${withJanus ? 'with' : 'without'} Janus, ${withPexip ? 'with' : 'without'} Pexip)\n`);
  stack = await startStack({ withJanus, withPexip });
  if (stopping) return; // a signal arrived while starting; shutdown() takes it from here
  const { idp, vdx, janus, pexip, guard, ca } = stack;
  const clinician = idp.users[0];
  if (!clinician) throw new Error('no demo users');
  // The patients' side: the guest page that invitations from "Add participant" link to.
  if (janus || pexip) {
    guests = await startGuestPage();
  }
  const token = await idp.mintAccessToken(clinician.username, { ttlSeconds: SANDBOX_TOKEN_TTL_SECONDS });

  const info = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    apiScope: idp.apiScope,
    knownAuthority: idp.knownAuthority,
    vdxBaseUrl: vdx.baseUrl,
    janusUrl: janus?.wsUrl ?? null,
    janusHttpUrl: janus?.httpUrl ?? null,
    guardUrl: guard?.url ?? null,
    pexipUrl: pexip?.url ?? null,
    pexipDomain: pexip?.domain ?? null,
    caCertPath: ca.caCertPath,
    users: idp.users.map(({ username, password, name }) => ({ username, password, name })),
    token,
    tokenExpiresInSeconds: SANDBOX_TOKEN_TTL_SECONDS,
    // Ready to write as the file named by CLINICIAN_CONSOLE_CONFIG.
    guestPageUrl: guests?.url ?? null,
    consoleSettings: { ...consoleSettingsFor(stack), ...(guests ? { invitationBaseUrl: guests.url } : {}) },
    // What IT's policy would add: the Pexip Management API account for the waiting badge.
    consolePolicy: consolePolicyFor(stack),
  };
  process.stdout.write(JSON.stringify(info) + '\n');
  process.stderr.write(
    [
      `sandbox: ready. ${vdx.allMeetings().length} invented meetings.`,
      `  Node processes that talk to the IdP need NODE_EXTRA_CA_CERTS=${ca.caCertPath}`,
      `  try: curl -H "Authorization: Bearer $TOKEN" ${vdx.baseUrl}/v2/info`,
      '  Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (e: unknown) => {
  process.stderr.write(`sandbox: failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  await stack?.stop().catch(() => undefined);
  process.exit(1);
});
