import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { PRODUCT_FILENAME } from '../../../main/platform/updater';

const root = join(import.meta.dirname, '..', '..', '..');
const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
// electron-builder's own YAML reader (js-yaml, a dependency of electron-builder and electron-updater).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
type Target = string | { target: string; arch?: string[] };
const config = load(yml) as {
  productName: string;
  publish: Array<Record<string, unknown>>;
  win: { target: Target[]; verifyUpdateCodeSignature?: boolean; signtoolOptions?: unknown };
  nsis: Record<string, unknown>;
  mac: { target: Target[]; strictVerify?: boolean; hardenedRuntime?: boolean };
};
const targetNames = (targets: Target[]) => targets.map((t) => (typeof t === 'string' ? t : t.target));

/** The `key: value` lines of one top-level block (no YAML library: the file is kept simple). */
function block(name: string): Map<string, string> {
  const lines = yml.split('\n');
  const start = lines.findIndex((line) => line === `${name}:`);
  expect(start, `block ${name}`).toBeGreaterThanOrEqual(0);
  const entries = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const match = /^ {2}(\w+):\s*(.*?)\s*$/.exec(line);
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

function topLevel(key: string): string | undefined {
  return new RegExp(`^${key}:\\s*(.*?)\\s*$`, 'm').exec(yml)?.[1];
}

describe('electron-builder.yml', () => {
  const fuses = block('electronFuses');

  it('states every fuse @electron/fuses knows', () => {
    const known = Object.keys(FuseV1Options)
      .filter((key) => Number.isNaN(Number(key)))
      .map((key) => key[0]!.toLowerCase() + key.slice(1));
    expect(known.length).toBeGreaterThanOrEqual(8);
    for (const fuse of known) expect(fuses.has(fuse), fuse).toBe(true);
  });

  it('sets each fuse the secure way', () => {
    expect(Object.fromEntries(fuses)).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      loadBrowserProcessSpecificV8Snapshot: 'false',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('packs into asar and registers the deep-link scheme', () => {
    expect(topLevel('asar')).toBe('true');
    expect(yml).toMatch(/schemes:\n\s+- clinician-console\n/);
  });

  it('writes app-update.yml for a generic feed that cannot resolve (the real one comes from IT’s policy)', () => {
    expect(config.publish).toHaveLength(1);
    const [publish] = config.publish;
    expect(publish).toMatchObject({ provider: 'generic' });
    // .invalid never resolves: a build can neither publish there nor fetch from there.
    expect(new URL(String(publish!.url)).hostname).toMatch(/\.invalid$/);
    // No provider that uploads (github, s3, ...) and no token-bearing options.
    expect(Object.keys(publish!).sort()).toEqual(['provider', 'url']);
  });

  it('makes Windows updates verifiable: an NSIS target (only it gets app-update.yml) and signature verification on', () => {
    expect(targetNames(config.win.target)).toEqual(['msi', 'nsis']);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    // Per user, so an update needs no administrator (no UAC prompt on a clinic PC).
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
    // The NSIS uninstaller is how the console tells an NSIS installation from an MSI one.
    expect(config.productName).toBe(PRODUCT_FILENAME);
  });

  it('gives macOS the zip Squirrel.Mac updates from (beside the DMG and the MDM pkg), and verifies its own signature strictly', () => {
    expect(targetNames(config.mac.target).sort()).toEqual(['dmg', 'pkg', 'zip']);
    expect(config.mac.strictVerify).toBe(true);
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('installs the MSI for all users with a fixed upgrade code', () => {
    const msi = block('msi');
    expect(msi.get('perMachine')).toBe('true');
    expect(msi.get('upgradeCode')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('gives macOS the hardened runtime with camera and microphone entitlements and usage strings', () => {
    const mac = block('mac');
    expect(mac.get('hardenedRuntime')).toBe('true');
    const plist = readFileSync(join(root, mac.get('entitlements')!), 'utf8');
    expect(plist).toContain('<key>com.apple.security.device.camera</key>');
    expect(plist).toContain('<key>com.apple.security.device.audio-input</key>');
    expect(plist).not.toContain('disable-library-validation');
    expect(plist).not.toContain('allow-unsigned-executable-memory');
    expect(yml).toMatch(/NSCameraUsageDescription: \S/);
    expect(yml).toMatch(/NSMicrophoneUsageDescription: \S/);
  });
});
