/**
 * The release gates' fuse check (scripts/release/fuses.ts) against fuse wires laid out as in
 * an Electron binary (sentinel, version, length, one byte per fuse), read by @electron/fuses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { allowInspector, fuseMismatches, statedFuses } from '../../../scripts/release/fuses';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '..', '..', '..');
const stated = statedFuses(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in binary: some bytes, the wire, some bytes. 9 fuses, as Electron 45 has. */
function binaryWith(fuses: Record<number, boolean>): string {
  const wire = Array.from({ length: 9 }, (_, i) => (fuses[i] === undefined ? 49 : fuses[i] ? 49 : 48));
  const file = join(tempDir('cc-fuses-'), 'clinician-console');
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF padding'), Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire]), Buffer.from('tail')]));
  return file;
}
const asStated = () => Object.fromEntries([...stated].map(([option, on]) => [option, on]));

describe('the fuse check', () => {
  it('reads every fuse electron-builder.yml states (all eight @electron/fuses knows)', () => {
    expect(stated.size).toBe(8);
    expect(stated.get(FuseV1Options.RunAsNode)).toBe(false);
    expect(stated.get(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
  });

  it('passes a binary whose wire is as stated', async () => {
    expect(await fuseMismatches(binaryWith(asStated()), stated)).toEqual([]);
  });

  it('names each fuse that is not as stated', async () => {
    const wrong = await fuseMismatches(binaryWith({ ...asStated(), [FuseV1Options.RunAsNode]: true, [FuseV1Options.OnlyLoadAppFromAsar]: false }), stated);
    expect(wrong).toEqual(['RunAsNode: stated off, binary has on', 'OnlyLoadAppFromAsar: stated on, binary has off']);
  });

  it('fails a file with no fuse wire (not an Electron binary)', async () => {
    const file = join(tempDir('cc-fuses-'), 'not-electron');
    writeFileSync(file, 'hello');
    await expect(fuseMismatches(file, stated)).rejects.toThrow(/sentinel/);
  });

  it('the test copy differs from what ships in the inspector fuse only', async () => {
    const copy = binaryWith(asStated());
    await allowInspector(copy);
    expect(await fuseMismatches(copy, stated)).toEqual(['EnableNodeCliInspectArguments: stated off, binary has on']);
  });

  it('refuses a fuse name @electron/fuses does not know', () => {
    expect(() => statedFuses('electronFuses:\n  runAsNodes: false\n')).toThrow(/runAsNodes/);
  });
});
