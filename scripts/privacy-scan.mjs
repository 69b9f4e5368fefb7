// What the privacy audit looks for in a file the console wrote: the seeded secrets (names,
// e-mails, subjects, passwords, tokens) and the seeded PINs, in every form the console or
// the Chromium under it can write them:
//  - the file's bytes as UTF-8 and Latin-1 (LevelDB keeps 8-bit strings as Latin-1), and as
//    UTF-16LE at either byte alignment (LevelDB and IndexedDB keep other strings so);
//  - the members of gzip and zlib streams inside it (the HTTP cache keeps bodies as sent),
//    and the deflated entries of zip archives ("Save logs for IT");
//  - each of those URL-decoded (once or more: %C3%85, %2520), with its \u, \x and &#…;
//    escapes undone, and with base64 runs decoded (a PIN in a base64 JSON blob);
//  - in any letter case, and with any run of spaces or '+' between words.
// A PIN is a bare number, so digits inside a UUID, a hex string, a timestamp, a clock time
// or a host's port are taken out first: a PIN that happens to equal a UUID group ("…-4349-…")
// is not a leak, and an audit that says it is fails at random. For the same reason only
// PINs of six digits or more and texts of six characters or more are looked for in what
// base64 decoding makes of arbitrary text (random bytes hold a given 4-byte string too often
// across a profile's megabytes; six bytes, practically never). Node built-ins only (it runs
// before anything else).
import { isAscii } from 'node:buffer';
import { constants, inflateRawSync, inflateSync } from 'node:zlib';

/** Text that holds digits but never a PIN; replaced by a space before PINs are looked for. */
const NOT_A_PIN = [
  // UUIDs
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  // ISO timestamps and dates: 2026-12-01T19:46:38.123Z, 2026-12-01 19:46, 2026-12-01
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/gi,
  // Clock times: 19:46, 19:46:38.5
  /\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g,
  // A host's port: localhost:4349, 127.0.0.1:4349, [::1]:4349, vdx.example:4349
  /(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{1,5}\b/gi,
  // Hex strings of eight or more characters with a letter in them (ids, hashes, keys)
  /\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi,
];

export function withoutPinLookalikes(text) {
  let out = text;
  for (const pattern of NOT_A_PIN) out = out.replace(pattern, ' ');
  return out;
}

/** A matcher for any of the PINs as a number of its own (not part of a longer word or number). */
export function pinMatcher(pins) {
  const digits = [...new Set(pins)].filter((p) => /^\d+$/.test(p));
  if (digits.length === 0) return () => false;
  const pattern = new RegExp(`(?<![0-9A-Za-z])(?:${digits.join('|')})(?![0-9A-Za-z])`);
  // Taking the look-alikes out costs several passes over the text: only where a PIN stands.
  const matcher = (text) => pattern.test(text) && pattern.test(withoutPinLookalikes(text));
  // The PINs long enough to look for in base64-decoded text (see the header).
  const long = digits.filter((p) => p.length >= MIN_DECODED_SECRET);
  matcher.forDecoded = long.length === digits.length ? matcher : long.length ? pinMatcher(long) : () => false;
  return matcher;
}

const MIN_DECODED_SECRET = 6;

/** What kinds of secret a file's bytes hold: never which one (the audit reports where, not what). */
export function findLeaks(bytes, texts, hasPin) {
  const matchers = textMatchers(texts);
  const pinInDecoded = hasPin.forDecoded ?? hasPin;
  const kinds = new Set();
  for (const { text, decoded } of views(bytes)) {
    const lower = text.toLowerCase();
    const textMatcher = decoded ? matchers.long : matchers.all;
    if (!kinds.has(TEXT) && textMatcher?.test(lower)) kinds.add(TEXT);
    if (!kinds.has(PIN) && (decoded ? pinInDecoded : hasPin)(lower)) kinds.add(PIN);
    if (kinds.size === 2) break;
  }
  return [TEXT, PIN].filter((kind) => kinds.has(kind));
}

/** The texts as two matchers over lower-cased text (all of them; those long enough for decoded text), built once per list. */
const compiled = new WeakMap();
function textMatchers(texts) {
  let matchers = compiled.get(texts);
  if (!matchers) {
    // Split on the gaps (any run of spaces or '+'), dropping the empty words a leading or
    // trailing '+' makes ("+45 20 30 40 50"): an empty first word would be an empty prefix,
    // which indexOf finds at the end of the text forever.
    const words = [...new Set(texts.filter((t) => typeof t === 'string').map((t) => t.trim().toLowerCase()))]
      .map((t) => t.split(/[\s+]+/).filter((word) => word !== ''))
      .filter((list) => list.length > 0);
    matchers = { all: anyOf(words), long: anyOf(words.filter((w) => w.join(' ').length >= MIN_DECODED_SECRET)) };
    compiled.set(texts, matchers);
  }
  return matchers;
}

/**
 * A test for any of the values (each a list of words) in a text. The values are grouped by
 * their first three characters; each group's prefix is found with indexOf (fast, whatever
 * the text) and only there is the group's regex tried. One regex over all the values would
 * try dozens of first characters at every position of a file of megabytes.
 */
function anyOf(values) {
  const groups = new Map();
  for (const words of values) {
    const prefix = words[0].slice(0, 3);
    groups.set(prefix, [...(groups.get(prefix) ?? []), words]);
  }
  const compiledGroups = [...groups].map(([prefix, list]) => [prefix, new RegExp(trieSource(list), 'y')]);
  return {
    test(text) {
      for (const [prefix, regex] of compiledGroups) {
        for (let at = text.indexOf(prefix); at !== -1 && at < text.length; at = text.indexOf(prefix, at + 1)) {
          regex.lastIndex = at;
          if (regex.test(text)) return true;
        }
      }
      return false;
    },
  };
}

/**
 * Values (each a list of words) as one regex shaped as a trie: a position is rejected after a
 * handful of comparisons however many secrets there are (a list of includes() or a plain
 * alternation costs one scan per secret). Between words: any run of whitespace or '+'.
 */
function trieSource(values) {
  const GAP = '\u0000gap';
  const root = new Map();
  for (const words of values) {
    let node = root;
    for (const [index, word] of words.entries()) {
      for (const atom of [...(index > 0 ? [GAP] : []), ...word]) {
        if (!node.has(atom)) node.set(atom, new Map());
        node = node.get(atom);
      }
    }
    node.set('', null);
  }
  const source = (node) => {
    const branches = [];
    let ends = false;
    for (const [atom, child] of node) {
      if (atom === '') ends = true;
      else branches.push((atom === GAP ? '[\\s+]+' : atom.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) + source(child));
    }
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
    return ends ? `(?:${body})?` : body;
  };
  return source(root);
}

const TEXT = 'a name, e-mail, subject, password or token';
const PIN = 'a PIN';

/**
 * Every text the bytes can be read as (see the header); `decoded` marks what base64
 * decoding made, where only the longer secrets are looked for.
 */
export function* views(bytes, depth = 0) {
  // UTF-8 and Latin-1 differ only where a byte is not ASCII.
  const texts = isAscii(bytes) ? [bytes.toString('latin1')] : [bytes.toString('utf8'), bytes.toString('latin1')];
  if (bytes.includes(0)) texts.push(utf16Runs(bytes));
  for (const text of texts) {
    for (const form of unescaped(text)) yield { text: form, decoded: false };
    if (depth === 0) {
      const fromBase64 = base64Decoded(text);
      if (fromBase64) for (const form of unescaped(fromBase64.toString('latin1'))) yield { text: form, decoded: true };
      if (fromBase64) for (const form of unescaped(fromBase64.toString('utf8'))) yield { text: form, decoded: true };
    }
  }
  if (depth < 2) for (const member of compressedMembers(bytes)) yield* views(member, depth + 1);
}

/**
 * The runs of the bytes that read as UTF-16LE text (at either alignment), decoded, one per
 * line: characters up to U+04FF, which every Latin, Greek and Cyrillic name is written in.
 * Only those: the whole file read as UTF-16 would be mostly noise, and costly to search.
 */
function utf16Runs(bytes) {
  // eslint-disable-next-line no-control-regex -- the high bytes of UTF-16LE code units are control bytes
  const runs = bytes.toString('latin1').match(/(?:[\t\n\r\x20-\xff][\x00-\x04]){3,}/g) ?? [];
  return runs.map((run) => Buffer.from(run, 'latin1').toString('utf16le')).join('\n');
}

/** The text, and the text with its escapes undone: URL-encoding (repeatedly), \u, \x, &#…;. */
function* unescaped(text) {
  yield text;
  let current = text;
  for (let round = 0; round < 3; round++) {
    const next = unescapeOnce(current);
    if (next === current) return;
    yield (current = next);
  }
}

function unescapeOnce(text) {
  let out = text;
  if (out.includes('%')) out = out.replace(/(?:%[0-9a-f]{2})+/gi, percentDecoded);
  if (out.includes('\\')) {
    out = out
      .replace(/\\u([0-9a-f]{4})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/\\x([0-9a-f]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  }
  if (out.includes('&#')) {
    out = out.replace(/&#(?:x([0-9a-f]{1,6})|(\d{1,7}));/gi, (match, hex, dec) => {
      const code = hex ? parseInt(hex, 16) : Number(dec);
      return code <= 0x10ffff ? String.fromCodePoint(code) : match;
    });
  }
  return out;
}

/** A run of %XX: UTF-8 when it is valid UTF-8 (%C3%85), else Latin-1 (%C5, as old encoders write). */
function percentDecoded(run) {
  const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\ufffd') ? bytes.toString('latin1') : utf8;
}

/**
 * The base64 runs of a text (standard or URL-safe alphabet, eight characters or more),
 * decoded at each of the four alignments a run cut out of longer text can have, one per
 * line; null when there are none.
 */
function base64Decoded(text) {
  const runs = text.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g);
  if (!runs) return null;
  const parts = [];
  for (const run of runs) {
    for (let offset = 0; offset < 4; offset++) {
      parts.push(Buffer.from(run.slice(offset), 'base64'), NEWLINE);
    }
  }
  return Buffer.concat(parts);
}

const NEWLINE = Buffer.from('\n');

/**
 * The decompressed members of gzip streams (1f 8b 08) and zlib streams (78 01/5e/9c/da) that
 * start anywhere in the bytes. A gzip member's deflate data is inflated on its own, past its
 * header, so what follows the member (the cache entry's metadata, another member) does not
 * spoil it; a stream cut short (an entry still being written) gives what it holds so far.
 */
function* compressedMembers(bytes) {
  const options = { finishFlush: constants.Z_SYNC_FLUSH };
  for (let at = bytes.indexOf(0x1f); at !== -1 && at < bytes.length - 2; at = bytes.indexOf(0x1f, at + 1)) {
    if (bytes[at + 1] !== 0x8b || bytes[at + 2] !== 0x08) continue;
    const body = gzipBodyStart(bytes, at);
    const member = body === null ? null : attempt(() => inflateRawSync(bytes.subarray(body), options));
    if (member?.length) yield member;
  }
  for (let at = bytes.indexOf(0x78); at !== -1 && at < bytes.length - 1; at = bytes.indexOf(0x78, at + 1)) {
    if (![0x01, 0x5e, 0x9c, 0xda].includes(bytes[at + 1])) continue;
    const member = attempt(() => inflateSync(bytes.subarray(at), options));
    if (member?.length) yield member;
  }
  yield* zipEntries(bytes, options);
}

/**
 * The deflated entries of zip archives in the bytes ("Save logs for IT" writes one): each
 * local file header (PK\x03\x04), its raw deflate data inflated from where its name and
 * extra field end. The header's sizes are not trusted (a streamed entry leaves them zero);
 * inflating stops at the deflate stream's own end. Stored entries are already plain bytes;
 * encrypted ones cannot be read (the console writes none).
 */
function* zipEntries(bytes, options) {
  for (let at = bytes.indexOf(ZIP_LOCAL_HEADER); at !== -1 && at + 30 <= bytes.length; at = bytes.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    const flags = bytes.readUInt16LE(at + 6);
    const method = bytes.readUInt16LE(at + 8);
    if (method !== 8 || flags & 0x01) continue;
    const data = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const entry = data < bytes.length ? attempt(() => inflateRawSync(bytes.subarray(data), options)) : null;
    if (entry?.length) yield entry;
  }
}

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Where the deflate data of the gzip member at `at` starts (RFC 1952 header), or null. */
function gzipBodyStart(bytes, at) {
  const flags = bytes[at + 3] ?? 0;
  let pos = at + 10;
  if (flags & 0x04) pos += 2 + (bytes.readUInt16LE(Math.min(pos, bytes.length - 2)) || 0); // FEXTRA
  for (const flag of [0x08, 0x10]) {
    // FNAME, FCOMMENT: zero-terminated
    if (!(flags & flag)) continue;
    const end = bytes.indexOf(0, pos);
    if (end === -1) return null;
    pos = end + 1;
  }
  if (flags & 0x02) pos += 2; // FHCRC
  return pos < bytes.length ? pos : null;
}

function attempt(decompress) {
  try {
    return decompress();
  } catch {
    return null; // not a stream after all: bytes that only look like its header
  }
}
