/**
 * The privacy audit reads what the console and its Chromium write, in the forms they write
 * it: URL-encoded (once or twice), with \u escapes, in another letter case, as Latin-1 or
 * UTF-16LE (Chromium's LevelDB), gzip- or zlib-compressed (the HTTP cache), base64 inside
 * JSON. Every case below builds the file's bytes the way the writer does (node:zlib, Buffer
 * encodings) and checks the audit sees the seeded secret; the last ones check that the
 * settings file the e2e fixture writes, and random ids and tokens, are never taken for one.
 * All people, numbers and addresses are invented.
 */
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findLeaks, pinMatcher } from '../../../scripts/privacy-scan.mjs';
import { consoleSettingsFor, JANUS_DOMAIN } from '../../stack/stack';

const NAME = 'Åtest Øprovsen';
const PIN = '48291375';
const TEXT_LEAK = 'a name, e-mail, subject, password or token';
const PIN_LEAK = 'a PIN';

const scan = (bytes: Buffer, texts: string[] = [NAME], pins: string[] = [PIN]) => findLeaks(bytes, texts, pinMatcher(pins));

/** Chromium's LevelDB value: a one-byte tag (0: UTF-16LE), the string, at any alignment in the block. */
const levelDbUtf16 = (text: string, pad: number) => Buffer.concat([randomBytes(pad), Buffer.from([0]), Buffer.from(text, 'utf16le'), randomBytes(7)]);
/** Its 8-bit form (tag 1: Latin-1), used when every character fits in one byte. */
const levelDbLatin1 = (text: string) => Buffer.concat([Buffer.from([0x12, 0x01]), Buffer.from(text, 'latin1'), Buffer.from([0])]);
/** A Simple Cache entry: a header, the body as the server sent it (gzip), then metadata. */
const cacheEntry = (body: Buffer) => Buffer.concat([Buffer.from('\x30\x5c\x72\xa8\x1b\x8b\x8b\x8b\x00\x00', 'latin1'), gzipSync(body), Buffer.from('\x1f\x8b\x08 HTTP/1.1 200 content-encoding: gzip', 'latin1')]);
const unicodeEscaped = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

describe('the privacy audit sees a name', () => {
  it.each<[string, Buffer]>([
    ['as written', Buffer.from(`invite for ${NAME} sent`)],
    ['in upper case', Buffer.from(`INVITE FOR ${NAME.toUpperCase()}`)],
    ['in lower case with two spaces', Buffer.from(`x ${NAME.toLowerCase().replace(' ', '  ')} y`)],
    ['URL-encoded', Buffer.from(`GET /x?name=${encodeURIComponent(NAME)}&a=1`)],
    ['URL-encoded twice', Buffer.from(`next=${encodeURIComponent(`/x?name=${encodeURIComponent(NAME)}`)}`)],
    ['form-encoded (+ for space)', Buffer.from(`name=${encodeURIComponent(NAME).replace('%20', '+')}`)],
    ['URL-encoded in upper case', Buffer.from(encodeURIComponent(NAME.toUpperCase()))],
    ['URL-encoded as Latin-1 (%C5)', Buffer.from('name=%C5test%20%D8provsen')],
    ['with \\u escapes', Buffer.from(`{"name":"${unicodeEscaped(NAME)}"}`)],
    ['as HTML character references', Buffer.from('<b>&#197;test &#xD8;provsen</b>')],
    ['in UTF-16LE, even alignment', levelDbUtf16(NAME, 4)],
    ['in UTF-16LE, odd alignment', levelDbUtf16(NAME, 5)],
    ['in UTF-16LE, upper case', levelDbUtf16(NAME.toUpperCase(), 3)],
    ['in Latin-1', levelDbLatin1(NAME)],
    ['gzip-compressed in a cache entry', cacheEntry(Buffer.from(`{"subject":"x","name":"${NAME}"}`))],
    ['zlib-compressed', Buffer.concat([Buffer.from('blob:'), deflateSync(Buffer.from(NAME))])],
    ['gzip-compressed UTF-16LE', cacheEntry(Buffer.from(NAME, 'utf16le'))],
    ['in base64 JSON', Buffer.from(`state=${Buffer.from(JSON.stringify({ who: NAME })).toString('base64')}`)],
    ['in base64url JSON, cut out of a longer string', Buffer.from(`k${Buffer.from(`xx${JSON.stringify({ who: NAME })}`).toString('base64url')}`)],
  ])('%s', (_how, bytes) => {
    expect(scan(bytes, [NAME], [])).toEqual([TEXT_LEAK]);
  });
});

describe('the privacy audit sees a PIN', () => {
  it.each<[string, Buffer]>([
    ['after a URL-encoded space', Buffer.from(`pin%20${PIN}`)],
    ['after a URL-encoded =, twice encoded', Buffer.from(`next=%2Fjoin%253Fpin%253D${PIN}`)],
    ['with \\u escapes', Buffer.from(`{"pin":"${unicodeEscaped(PIN)}"}`)],
    ['in UTF-16LE', levelDbUtf16(`{"hostPin":${PIN}}`, 5)],
    ['gzip-compressed', cacheEntry(Buffer.from(`{"hostPin":${PIN}}`))],
    ['in base64 JSON', Buffer.from(`blob ${Buffer.from(`{"hostPin":"${PIN}"}`).toString('base64')} end`)],
    ['in base64 on its own', Buffer.from(`"${Buffer.from(PIN).toString('base64')}"`)],
    ['in base64url, cut out of a longer string', Buffer.from(`x=a${Buffer.from(`:${PIN};`).toString('base64url')}`)],
  ])('%s', (_how, bytes) => {
    expect(scan(bytes, [], [PIN])).toEqual([PIN_LEAK]);
  });
});

/** Random text without digits or the letters of the name, around what is planted. */
const filler = fc.string({ maxLength: 30 }).map((t) => t.replace(/[\dåøÅØ]/g, ''));

/** How a writer can store a string: each one undoable by the audit, in any order. */
const writers: Record<string, (text: string) => Buffer> = {
  'UTF-8': (t) => Buffer.from(t),
  'URL-encoded': (t) => Buffer.from(encodeURIComponent(t)),
  'URL-encoded twice': (t) => Buffer.from(encodeURIComponent(encodeURIComponent(t))),
  'upper case': (t) => Buffer.from(t.toUpperCase()),
  '\\u-escaped': (t) => Buffer.from(unicodeEscaped(t)),
  'UTF-16LE': (t) => levelDbUtf16(t, 3),
  gzip: (t) => cacheEntry(Buffer.from(t)),
  'gzip of UTF-16LE': (t) => cacheEntry(Buffer.from(t, 'utf16le')),
  base64: (t) => Buffer.from(Buffer.from(t).toString('base64')),
};

describe('the privacy audit over generated files', () => {
  const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzåäöæø');
  const name = fc
    .tuple(fc.string({ unit: letter, minLength: 2, maxLength: 6 }), fc.string({ unit: letter, minLength: 3, maxLength: 8 }))
    .map(([first, last]) => `${first[0]!.toUpperCase()}${first.slice(1)}ø ${last[0]!.toUpperCase()}${last.slice(1)}`);
  const pin = fc.integer({ min: 10_000_000, max: 99_999_999 }).map(String);

  it('finds a name and a PIN in random text however the file was written', () => {
    fc.assert(
      fc.property(name, pin, filler, filler, fc.constantFrom(...Object.keys(writers)), (who, p, before, after, writer) => {
        const bytes = writers[writer]!(`${before} {"name":"${who}","hostPin":"${p}"} ${after}`);
        expect(findLeaks(bytes, [who], pinMatcher([p])), writer).toEqual([TEXT_LEAK, PIN_LEAK]);
      }),
      { numRuns: 400 },
    );
  });

  it('never takes random ids, tokens, ports and times for a PIN', () => {
    const harmless = fc.oneof(
      fc.constant(null).map(() => randomUUID()),
      fc.constant(null).map(() => randomBytes(32).toString('base64url')),
      fc.constant(null).map(() => randomBytes(20).toString('hex')),
      fc.integer({ min: 1, max: 65535 }).map((port) => `http://127.0.0.1:${port}/v2`),
      fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString()),
    );
    fc.assert(
      fc.property(fc.array(harmless, { minLength: 1, maxLength: 20 }), pin, fc.constantFrom(...Object.keys(writers)), (parts, p, writer) => {
        const text = parts.join(' ');
        // A PIN that really is in the text (as a number of its own) is a leak; any other is not.
        fc.pre(!new RegExp(`(?<![0-9A-Za-z])${p}(?![0-9A-Za-z])`).test(text));
        expect(findLeaks(writers[writer]!(text), ['Testperson Alfa'], pinMatcher([p]))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the settings file the e2e fixture writes', () => {
  it('holds no secret of the stack, so the audit can read it too', () => {
    const port = () => 20_000 + Math.floor(Math.random() * 40_000);
    const issuer = `https://127.0.0.1:${port()}/`;
    const settings = consoleSettingsFor({
      idp: { issuer, knownAuthority: new URL(issuer).host, clientId: 'clinician-console', apiScope: 'api://vdx-booking/meetings.read' } as never,
      vdx: { baseUrl: `http://127.0.0.1:${port()}` } as never,
      janus: { wsUrl: `ws://127.0.0.1:${port()}` } as never,
      guard: { url: `http://127.0.0.1:${port()}` } as never,
      pexip: { url: `http://127.0.0.1:${port()}`, domain: 'vmr.pexip.sandbox.test' },
    });
    expect(JSON.stringify(settings)).toContain(JANUS_DOMAIN);
    fc.assert(
      fc.property(fc.integer({ min: 10_000_000, max: 99_999_999 }).map(String), (p) => {
        const bytes = Buffer.from(JSON.stringify(settings));
        const texts = ['Dr. Demo Clinician', 'dr.demo@example.org', 'Demo-Clinician-1!', 'Video consultation (demo 1)', randomBytes(24).toString('base64url')];
        expect(findLeaks(bytes, texts, pinMatcher([p]))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
