import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');

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

  it('packs into asar, publishes nothing, and registers the deep-link scheme', () => {
    expect(topLevel('asar')).toBe('true');
    expect(topLevel('publish')).toBe('null');
    expect(yml).toMatch(/schemes:\n\s+- clinician-console\n/);
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
