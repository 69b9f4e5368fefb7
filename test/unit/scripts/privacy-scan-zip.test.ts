/**
 * The privacy audit reads inside zip archives ("Save logs for IT" writes one): a deflated
 * entry's text is not in the archive's bytes, so an audit that did not inflate it would call
 * any zip clean. Seeded with invented personal data, in archives made by fflate (what the
 * console uses) with and without a data descriptor, and by Node's zlib as another writer would.
 */
import { deflateRawSync } from 'node:zlib';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findLeaks, pinMatcher } from '../../../scripts/privacy-scan.mjs';

const NAME = 'Åse Inventedottir';
const PIN = '48392011';
const TEXT_LEAK = 'a name, e-mail, subject, password or token';
const PIN_LEAK = 'a PIN';
const line = `2026-12-01T10:00:00.000Z WARN [window:call] call: lost track of ${NAME}, pin ${PIN}\n`.repeat(20);

/** The same archive bytes with every local header's sizes zeroed, as a streaming writer leaves them. */
function streamed(files: Record<string, string>): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, text] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(text), true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

describe('the privacy audit inside a zip', () => {
  it('finds a name and a PIN in a deflated entry, which the archive’s bytes do not show', () => {
    const zip = Buffer.from(zipSync({ 'main.log': strToU8(line), 'diagnostics.txt': strToU8('Clinician Console 1.0.0') }, { level: 6 }));
    expect(zip.includes(Buffer.from(NAME))).toBe(false);
    expect(zip.toString('latin1')).not.toContain(PIN);
    expect(findLeaks(zip, [NAME], pinMatcher([PIN]))).toEqual([TEXT_LEAK, PIN_LEAK]);
  });

  it('finds them in any entry, also when the local header leaves the sizes out (data descriptor)', () => {
    const zip = streamed({ 'main.log': 'nothing here\n', 'main.log.2': line });
    expect(findLeaks(zip, [NAME], pinMatcher([PIN]))).toEqual([TEXT_LEAK, PIN_LEAK]);
  });

  it('finds them in a hand-built archive entry (another zip writer)', () => {
    const data = deflateRawSync(Buffer.from(line));
    const name = Buffer.from('a.log');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(line.length, 22);
    header.writeUInt16LE(name.length, 26);
    expect(findLeaks(Buffer.concat([Buffer.from('junk before'), header, name, data]), [NAME], pinMatcher([PIN]))).toEqual([TEXT_LEAK, PIN_LEAK]);
  });

  it('finds nothing in a zip of redacted lines', () => {
    const clean = line.replaceAll(NAME, '[name]').replaceAll(PIN, '[pin]');
    const zip = Buffer.from(zipSync({ 'main.log': strToU8(clean) }));
    expect(findLeaks(zip, [NAME], pinMatcher([PIN]))).toEqual([]);
  });
});
