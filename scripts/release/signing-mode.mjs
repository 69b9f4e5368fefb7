#!/usr/bin/env node
// Which signing each platform's release build gets, from which secrets exist (their values
// are never printed). Windows and macOS have secrets of their own: an Authenticode PFX is not
// a Developer ID p12.
//
//   windows: 'azure'    Azure Trusted Signing (AZURE_TENANT_ID, AZURE_CLIENT_ID,
//                       AZURE_CLIENT_SECRET for Entra ID, and the account's endpoint, account,
//                       certificate profile and publisher name), passed to electron-builder as
//                       win.azureSignOptions; preferred when complete
//            'signtool' WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD (a PFX)
//            'none'
//   mac:     'signed'   CSC_LINK + CSC_KEY_PASSWORD (Developer ID Application and Installer) and
//                       notarization credentials: APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD +
//                       APPLE_TEAM_ID, or APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER
//            'none'
//
// A tag build (refs/tags/*) with either platform at 'none' fails: a release is signed or it is
// not a release. A manual run (workflow_dispatch) may build unsigned and says so loudly.
// In the workflow: writes windows=… and mac=… to $GITHUB_OUTPUT and a line to the job summary.
import { appendFileSync } from 'node:fs';

const AZURE = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TRUSTED_SIGNING_ENDPOINT', 'AZURE_TRUSTED_SIGNING_ACCOUNT', 'AZURE_TRUSTED_SIGNING_PROFILE', 'AZURE_TRUSTED_SIGNING_PUBLISHER'];
const SIGNTOOL = ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD'];
const MAC_CERT = ['CSC_LINK', 'CSC_KEY_PASSWORD'];
const NOTARY_PASSWORD = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
const NOTARY_API_KEY = ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'];

/** Every secret name the decision reads (the workflow passes exactly these). */
export const SIGNING_SECRETS = [...AZURE, ...SIGNTOOL, ...MAC_CERT, ...NOTARY_PASSWORD, ...NOTARY_API_KEY];

/**
 * @param {Record<string, string | undefined>} env
 * @returns {{ windows: 'azure' | 'signtool' | 'none', mac: 'signed' | 'none', tag: boolean, problems: string[] }}
 */
export function signingMode(env) {
  const has = (names) => names.every((name) => (env[name] ?? '').trim() !== '');
  const windows = has(AZURE) ? 'azure' : has(SIGNTOOL) ? 'signtool' : 'none';
  const mac = has(MAC_CERT) && (has(NOTARY_PASSWORD) || has(NOTARY_API_KEY)) ? 'signed' : 'none';
  const tag = (env.GITHUB_REF ?? '').startsWith('refs/tags/');
  const problems = [];
  if (windows === 'none') problems.push(`Windows: no complete signing secrets (Azure Trusted Signing: ${AZURE.join(', ')}; or ${SIGNTOOL.join(' + ')})`);
  if (mac === 'none') problems.push(`macOS: no complete signing and notarization secrets (${MAC_CERT.join(' + ')}, and ${NOTARY_PASSWORD.join(' + ')} or ${NOTARY_API_KEY.join(' + ')})`);
  return { windows, mac, tag, problems };
}

function main() {
  const mode = signingMode(process.env);
  const out = process.env.GITHUB_OUTPUT;
  if (out) appendFileSync(out, `windows=${mode.windows}\nmac=${mode.mac}\n`);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  const line = `Signing: Windows ${mode.windows}, macOS ${mode.mac}.`;
  console.log(line);
  if (mode.problems.length && mode.tag) {
    for (const problem of mode.problems) console.log(`::error::${problem}`);
    if (summary) appendFileSync(summary, `${line} **A tag build must be signed: failed.**\n`);
    return 1;
  }
  for (const problem of mode.problems) console.log(`::warning::UNSIGNED build (manual run, not a release): ${problem}`);
  if (summary) appendFileSync(summary, mode.problems.length ? `${line} **UNSIGNED: for testing only, not for deployment.**\n` : `${line}\n`);
  return 0;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exitCode = main();
