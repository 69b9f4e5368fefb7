/**
 * When the console may update itself, and the reason it gives IT (shown in Diagnostics)
 * when it may not. The installation facts are what main/platform/updater.ts finds out on
 * Windows and macOS; here they are given.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_EVERY_MS, policyGate, updaterConfig, type InstallFacts } from '../../../main/updates/update-policy';

const feed = { updateChannel: 'private-feed' as const, updateFeedUrl: 'https://updates.hospital.invalid/cc/' };
const SIGNER = 'CN=Example Publisher, O=Example Publisher, L=Aarhus, C=DK';
const signedNsis: InstallFacts = {
  platform: 'win32',
  installKind: 'nsis',
  signature: { valid: true, signer: SIGNER },
  updateConfig: { present: true, publisherName: true },
};
const signedMac: InstallFacts = {
  platform: 'darwin',
  installKind: 'app-bundle',
  signature: { valid: true, signer: 'Developer ID Application: Example Publisher (ABCDE12345)' },
  updateConfig: { present: true, publisherName: false },
};

describe('updaterConfig', () => {
  it('enables a signed NSIS installation on Windows, pinned to its own signer', () => {
    expect(updaterConfig(feed, true, signedNsis)).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: feed.updateFeedUrl },
      checkEveryMs: CHECK_EVERY_MS,
      platform: 'win32',
      signer: SIGNER,
    });
  });

  it('enables a Developer ID signed app on macOS', () => {
    expect(updaterConfig(feed, true, signedMac)).toMatchObject({ enabled: true, platform: 'darwin', signer: signedMac.signature.valid ? signedMac.signature.signer : '' });
  });

  // [what, facts, words the reason must contain]
  it.each<[string, InstallFacts, RegExp]>([
    ['an MSI installation', { ...signedNsis, installKind: 'msi' }, /MSI package: IT deploys new versions/],
    ['a copied folder', { ...signedNsis, installKind: 'unknown' }, /not installed by the console’s installer/],
    ['an unsigned Windows build', { ...signedNsis, signature: { valid: false, detail: 'Authenticode: not-signed' } }, /not code-signed \(Authenticode: not-signed\)/],
    ['a Windows build without app-update.yml', { ...signedNsis, updateConfig: { present: false, publisherName: false } }, /names no code-signing publisher/],
    ['a Windows build without publisherName', { ...signedNsis, updateConfig: { present: true, publisherName: false } }, /names no code-signing publisher/],
    ['an unsigned Mac build', { ...signedMac, signature: { valid: false, detail: 'code object is not signed at all' } }, /not signed with a Developer ID \(code object is not signed at all\)/],
    ['an ad-hoc signed Mac build', { ...signedMac, signature: { valid: false, detail: 'ad-hoc signature' } }, /not signed with a Developer ID \(ad-hoc/],
    ['a Mac build without app-update.yml', { ...signedMac, updateConfig: { present: false, publisherName: false } }, /no update configuration/],
    ['Linux', { platform: 'linux', installKind: 'other', signature: { valid: false, detail: 'not checked' }, updateConfig: { present: true, publisherName: false } }, /software distribution/],
  ])('is off, with a reason, for %s', (_what, facts, reason) => {
    const config = updaterConfig(feed, true, facts);
    expect(config.enabled).toBe(false);
    expect(config.enabled ? '' : config.reason).toMatch(reason);
  });

  it('puts the policy first: an MSI installation with updates off says "off by policy"', () => {
    expect(updaterConfig({ updateChannel: 'off', updateFeedUrl: '' }, true, { ...signedNsis, installKind: 'msi' })).toEqual({ enabled: false, reason: 'updates are off by policy' });
  });
});

describe('policyGate', () => {
  it('decides what needs no look at the installation', () => {
    expect(policyGate(feed, false)).toEqual({ enabled: false, reason: 'development build' });
    expect(policyGate({ updateChannel: 'off', updateFeedUrl: feed.updateFeedUrl }, true)).toEqual({ enabled: false, reason: 'updates are off by policy' });
    expect(policyGate({ updateChannel: 'private-feed', updateFeedUrl: '' }, true)).toEqual({ enabled: false, reason: 'no update feed is configured' });
    expect(policyGate({ updateChannel: 'private-feed', updateFeedUrl: 'http://updates.hospital.invalid/' }, true)).toEqual({ enabled: false, reason: 'the update feed must be https' });
    expect(policyGate({ updateChannel: 'private-feed', updateFeedUrl: 'not a url' }, true)).toMatchObject({ enabled: false });
    expect(policyGate(feed, true)).toBeNull();
  });
});
