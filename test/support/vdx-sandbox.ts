/**
 * The real identity provider and the real VDX sandbox for one unit-test file, as the
 * booking tests need them: its own test CA, no seeded meetings, and an access token minted
 * for each user named (the sandbox checks them as VDX checks Entra's).
 */
import { createTestCa } from '../stack/ca';
import { startIdp, type IdpHandle } from '../stack/idp';
import { startVdx, type VdxHandle } from '../stack/vdx';
import { tempDir } from './temp-dir';

export interface VdxSandbox {
  idp: IdpHandle;
  vdx: VdxHandle;
  /** An access token per user named at the start. */
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

export async function startVdxSandbox(tempPrefix: string, users: readonly string[]): Promise<VdxSandbox> {
  const ca = await createTestCa(tempDir(tempPrefix));
  const idp = await startIdp({ tls: ca });
  const vdx = await startVdx({
    idp: { issuer: idp.issuer, jwksUri: idp.jwksUri, audience: idp.resource, scope: idp.apiScope },
    caCertPem: ca.caCertPem,
    seed: false,
  });
  const tokens = new Map<string, string>();
  for (const who of users) tokens.set(who, await idp.mintAccessToken(who));
  return {
    idp,
    vdx,
    tokens,
    async stop() {
      await vdx.stop();
      await idp.stop();
    },
  };
}
