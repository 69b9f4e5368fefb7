/**
 * Privacy redactor for log lines. Log messages are written by us and should carry no
 * personal data in the first place; this is the second line of defence for what slips
 * through (an error message from a library that quotes a token, an e-mail, a URL with a PIN,
 * a request body echoed by a server).
 *
 * Two layers, both applied by `redact()` to every message and error the logger writes:
 *  1. a registry of what the console currently holds (`setKnownSecrets`): the names,
 *     meeting subjects and PINs of the day, replaced wherever they appear, whatever the
 *     context. This is the only way to catch a name: no pattern can tell "Åtest Öprov" from
 *     ordinary words.
 *  2. patterns for data that has a recognisable shape: tokens, PINs next to a keyword or in
 *     a URL, secret-named JSON/query fields, e-mail addresses, Nordic personal identity
 *     numbers (Danish CPR, Finnish henkilötunnus, Swedish personnummer) and phone numbers.
 *     Each in the forms a log line carries them: plain, URL-encoded (once or twice: `%3D`,
 *     `%253D`; also encoded signs such as `010190%2D1234`), and JSON-escaped (a request body
 *     quoted inside an error message: `{\"to\":\"20304050\"}`, `\n` before a number).
 *
 * The patterns are tuned so that what a log line is made of anyway stays readable: ISO
 * timestamps, day strings, UUIDs, IPv4 addresses with ports, HTTP status codes, durations and
 * hex ids. Each pattern's comment says what keeps it off those. When in doubt a pattern errs
 * on the side of redacting: a lost digit in a log is cheap, a leaked CPR number is not.
 *
 * Cost: every line passes here, so every regex is compiled once (the registry's when its
 * values change, as one trie-shaped regex per kind), and a line is only scanned by the
 * patterns that can apply to it. Measured on the development machine (Node 20, a loaded
 * 2-core VM): about 1.5-2.5 µs of CPU per typical log message, and about 0.2 µs more with
 * 200 names, 200 subjects and 200 PINs registered (unchanged, within noise, by the encoded
 * and JSON-escaped forms and the called-number rule).
 */

// ---------------------------------------------------------------------------------------
// Registry of what the console currently holds
// ---------------------------------------------------------------------------------------

export type KnownSecretKind = 'names' | 'subjects' | 'pins';

const KNOWN_LABEL: Record<KnownSecretKind, string> = { names: '[name]', subjects: '[subject]', pins: '[pin]' };

/** One combined regex per kind (null: nothing registered), rebuilt only when the set changes. */
const known: Record<KnownSecretKind, RegExp | null> = { names: null, subjects: null, pins: null };

/** Shorter values would match too much ordinary text ("Bo", "12"); the patterns cover short PINs in context. */
const MIN_KNOWN_LENGTH = 3;

/**
 * Replaces the set of one kind of value the console holds (call it again with the new set
 * whenever it changes; with an empty iterable to clear it). `redact()` then replaces every
 * occurrence with `[name]`, `[subject]` or `[pin]`: names and subjects in any letter case and
 * with any run of whitespace between their words; every kind also URL-encoded (`%C3%85sa`,
 * `Test%20Person`, `Test+Person`). Values shorter than 3 characters are ignored.
 */
export function setKnownSecrets(kind: KnownSecretKind, values: Iterable<string>): void {
  if (!(kind in KNOWN_LABEL)) throw new TypeError(`unknown kind of secret: ${String(kind)}`);
  const unique = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_KNOWN_LENGTH) unique.add(trimmed);
  }
  known[kind] = unique.size === 0 ? null : compileKnown(kind, [...unique]);
}

/**
 * The end of an escaped character, which is a boundary although it ends in a letter or digit:
 * URL-encoded once or more (%20Test, %2F4839, %2520Test) or JSON-escaped (\n20304050, a
 * newline inside a quoted request body; \u001f…).
 */
const ESCAPED_END = '%(?:25)*[0-9a-fA-F]{2}|\\\\[nrtbf]|\\\\u[0-9a-fA-F]{4}';

/**
 * "Not right after one of `chars`", except that the end of an escaped character
 * (`ESCAPED_END`) counts as a boundary. One negative lookbehind with a nested one: V8 runs
 * that as fast as a plain lookbehind, while an alternation of lookbehinds at the start of a
 * pattern costs ~15 times as much per line (measured).
 */
const notAfter = (chars: string, encoded = ESCAPED_END) => `(?<![${chars}](?<!${encoded}))`;

/** A step in a value: one character, or the gap between two of its words. */
const GAP = Symbol('gap');
type Atom = string | typeof GAP;
interface TrieNode {
  children: Map<Atom, TrieNode>;
  end: boolean;
}

/**
 * All values of a kind as one regex, shaped as a trie ("test alfa|test ab" becomes
 * "test(?:\s+|%20|\+)a(?:lfa|b)"): the engine then rejects a position after comparing its
 * character with a handful of branches instead of trying every value in turn, which keeps a
 * line's cost flat however many people the day has. Where one value is a prefix of another,
 * the longer is tried first ("Test Alfa" is replaced as one, not as "[name] Alfa").
 */
function compileKnown(kind: KnownSecretKind, values: string[]): RegExp {
  const caseless = kind !== 'pins';
  const root: TrieNode = { children: new Map(), end: false };
  for (const value of values) {
    let node = root;
    for (const atom of valueAtoms(value, caseless)) {
      let next = node.children.get(atom);
      if (!next) node.children.set(atom, (next = { children: new Map(), end: false }));
      node = next;
    }
    node.end = true;
  }
  // Not inside a longer word or number: "Tes" must not eat "Tesla", a PIN 4839 not "148390".
  // PINs also not next to '-', ':', '.' or '/': a PIN equal to this year must not turn every
  // timestamp into "[pin]-12-01T…", which would itself tell the PIN.
  // Right after a URL-encoded character (%20Test, %2F4839) counts as a boundary.
  const [before, after] =
    kind === 'pins'
      ? [notAfter('\\p{L}\\p{N}_.:/-'), '(?![\\p{L}\\p{N}_:/-]|\\.\\p{N})']
      : [notAfter('\\p{L}\\p{N}_'), '(?![\\p{L}\\p{N}_])'];
  return new RegExp(`${before}${trieSource(root)}${after}`, caseless ? 'giu' : 'gu');
}

/** A value's characters (lower-cased when the match ignores case), with a gap between words. */
function valueAtoms(value: string, caseless: boolean): Atom[] {
  const atoms: Atom[] = [];
  for (const [index, word] of value.split(/\s+/u).entries()) {
    if (index > 0) atoms.push(GAP);
    atoms.push(...Array.from(caseless ? word.toLowerCase() : word));
  }
  return atoms;
}

function trieSource(node: TrieNode): string {
  const branches = [...node.children].map(([atom, child]) => atomSource(atom) + trieSource(child));
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  // A value that ends here, with longer ones going on: try the longer first (greedy "?").
  if (node.end) return branches.length === 1 ? `(?:${body})?` : `${body}?`;
  return body;
}

/**
 * One step of a value as it can appear in a log line: a gap is any whitespace, %20 or +
 * (form bodies); a character is itself (in any case, by the regex flag) or URL-encoded, in
 * lower or upper case, since the encodings of "ø" and "Ø" differ (%C3%B8, %C3%98) and the
 * flag cannot know that. Per character, so "Aa%C3%98a" matches "aaøa" too.
 */
function atomSource(atom: Atom): string {
  if (atom === GAP) return '(?:\\s+|%20|\\+)';
  const forms = new Set([escapeRegExp(atom)]);
  for (const variant of [atom, atom.toUpperCase()]) {
    try {
      const encoded = encodeURIComponent(variant);
      if (encoded !== variant) forms.add(escapeRegExp(encoded));
    } catch {
      // a lone surrogate has no encoding; it can only appear as itself
    }
  }
  return forms.size === 1 ? [...forms][0]! : `(?:${[...forms].join('|')})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------

type Replacer = string | ((match: string, ...groups: string[]) => string);

interface Rule {
  name: string;
  pattern: RegExp;
  replacement: Replacer;
  /**
   * A cheap test a line must pass for the rule to be worth running (most lines fail it),
   * on hints computed once per line; absent where the rule's own scan is as cheap (measured).
   */
  applies?: (hints: LineHints) => boolean;
}

interface LineHints {
  text: string;
  lower: string;
  /** Six digits in a row: every personal identity number and every phone number has them, few log lines do. */
  sixDigits: boolean;
}

/**
 * `source` (a regex without capturing groups) where it does not start right after one of
 * `chars`; the end of an escaped character (`ESCAPED_END`) counts as a boundary. The word is
 * matched first and what precedes it checked after, by a lookbehind over the same word: V8
 * then skips most positions by the word's first character, where a lookbehind at the start
 * of a pattern is tried at every position (about three times the cost per line, measured).
 */
const startingWord = (source: string, chars: string) => `(?:${source})(?<=(?:^|[^${chars}]|${ESCAPED_END})(?:${source}))`;

/** Placeholders this module writes; a later rule must not redact them again. */
const PLACEHOLDER = '\\[(?:token|pin|redacted|email|id|number|name|subject)\\]';

/** A URL-encoded character, encoded once or more: `enc('3d')` matches `%3D`, `%253D`, `%25253D`. */
const enc = (hex: string) => `%(?:25)*${hex}`;

/** A quote around a JSON key or value: plain, JSON-escaped (`\"`, `\\\"`) or URL-encoded (`%22`). */
const QUOTE = `(?:\\\\*["']|${enc('22')})`;

/** Spaces as they appear in logged URLs and form bodies (`%20`, `%2520`, `+`). */
const SPACE = `(?:[ \\t\\u00a0+]|${enc('20')})`;

/**
 * Field names whose value is a secret, in JSON (`"hostPin":12345678`), query strings
 * (`&guestPin=4839`) and `key: value` prose. The match starts at the distinctive tail of the
 * name (anything ending in token, secret or password: access_token, csrfToken, client_secret),
 * which keeps the scan fast; short names only as whole names, so `status_code=503`,
 * `errorCode` and `spin=2` stay.
 */
const SECRET_KEY =
  '(?:token|secret|passw(?:or)?d|' +
  `${startingWord('pwd|otp|code|code[_-]?verifier|api[_-]?key|apikey|authori[sz]ation|sig|pin(?:[_-]?code)?|(?:host|guest|room|moderator|participant)[_-]?pin', 'a-z0-9_-')})`;

/** A key/value separator in plain or URL-encoded form: `=`, `:`, `%3D`, `%3A`, `%253D`. */
const KV_SEPARATOR = `(?:\\s|${enc('20')})*(?:[:=]|${enc('3[ad]')})(?:\\s|${enc('20')})*`;

function labelForKey(key: string): string {
  const lower = key.toLowerCase();
  if (lower.includes('pin')) return '[pin]';
  if (lower.includes('token') || lower.startsWith('authori') || lower === 'sig') return '[token]';
  return '[redacted]';
}

/** Day-month-year (CPR, henkilötunnus): day 1-31, month 1-12. */
function validDdMmYy(digits: string): boolean {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

/** Year-month-day (personnummer): month 1-12, day 1-31, or 61-91 (samordningsnummer). */
function validYyMmDd(digits: string): boolean {
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  return month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91));
}

/** The digits of a phone number, not counting those of its URL-encoded spaces and plus (%20, %2B, %2520). */
function digitCount(text: string): number {
  return text.replace(/%(?:25)*2[0b]/gi, '').replace(/\D/g, '').length;
}

/** Encoded characters some rules need (any depth of encoding: %2B, %252B, …), as cheap line tests. */
const ENCODED_PLUS = /%(?:25)*2b/i;
const ENCODED_AT = /%(?:25)*40/i;
const PIN_ENCODED_SLASH = /pin%(?:25)*2f/i;

/** Where a national phone number can start (the rule's own lookbehind, as a cheap line test). */
const NATIONAL_START = new RegExp(startingWord('0\\d', '\\w.:%+-'));
/** Three pairs of digits with spaces between them, as a cheap line test for the paired rule. */
const PAIRS = new RegExp(`\\d\\d${SPACE}\\d\\d${SPACE}\\d\\d`, 'i');

const rules: Rule[] = [
  {
    // JWTs (header.payload.signature, the header always starts with eyJ = '{"').
    name: 'jwt',
    pattern: new RegExp(`${startingWord('eyJ', '\\w')}[\\w-]+\\.[\\w-]+\\.[\\w-]*`, 'g'),
    replacement: '[token]',
  },
  {
    // "Bearer <token>", also URL-encoded (Bearer%20…, Bearer%2520…, Bearer+…).
    name: 'bearer',
    pattern: new RegExp(`(${startingWord('bearer', '\\w')})((?:\\s|${enc('20')}|\\+)+)(?!${PLACEHOLDER})[\\w.~+/%-]+=*`, 'gi'),
    replacement: '$1$2[token]',
    applies: (h) => h.lower.includes('bearer'),
  },
  {
    // Secret-named fields. The value: a JSON/quoted string (spaces and all), a JSON-escaped
    // one (`\"…\"`, inside a quoted body), a URL-encoded quoted string, or a bare run up to the
    // next delimiter (with an auth scheme before it, as in `authorization: Basic dXNlcg==`).
    name: 'secret field',
    pattern: new RegExp(
      `(${SECRET_KEY})(${QUOTE}?${KV_SEPARATOR})(?!${PLACEHOLDER})` +
        `(?:"(?:[^"\\\\]|\\\\.)*"|'[^']*'|(\\\\+)".*?\\3"|${enc('22')}.*?${enc('22')}|(?:(?:bearer|basic|digest|negotiate)(?:\\s|${enc('20')}|\\+)+)?[^\\s"'&,;}\\]<>\\\\]+)`,
      'gi',
    ),
    replacement: (match: string, key: string, separator: string, slashes?: string) => {
      const label = labelForKey(key);
      const value = match.slice(key.length + separator.length);
      // Keep the quotes, so the JSON around it stays readable.
      if (value.startsWith('"')) return `${key}${separator}"${label}"`;
      if (value.startsWith("'")) return `${key}${separator}'${label}'`;
      if (slashes) return `${key}${separator}${slashes}"${label}${slashes}"`;
      const encodedQuote = /^%(?:25)*22/i.exec(value)?.[0];
      if (encodedQuote) return `${key}${separator}${encodedQuote}${label}${encodedQuote}`;
      return `${key}${separator}${label}`;
    },
  },
  {
    // PINs in URL paths: /pin/483920, /guestPin/4839, %2Fpin%2F4839, %252Fpin%252F4839.
    name: 'pin path',
    pattern: new RegExp(
      `((?:/|${enc('2f')})(?:(?:host|guest)[_-]?)?pin(?:/|${enc('2f')}))(?!${PLACEHOLDER})(?:[^/?#%\\s"'&\\\\]|%(?!(?:25)?(?:2f|3f|23|26)))+`,
      'gi',
    ),
    replacement: '$1[pin]',
    applies: (h) => h.lower.includes('pin/') || (h.text.includes('%') && PIN_ENCODED_SLASH.test(h.text)),
  },
  {
    // PINs in prose, in the console's languages: "PIN 483920", "pin: 4839", "PIN-koodi 4839",
    // "pinkode 4839", "PIN-kod är 4839", "guest PIN is 4839", and glued to the word as an id
    // or a careless format string writes it: "PIN48291375", "hostPin48291375".
    name: 'pin prose',
    pattern: new RegExp(
      `(${startingWord(`(?:(?:host|guest)(?:[_ -]|${enc('20')})?)?pin(?:[_ -]?(?:koodi|koodin|koodisi|kode|koden|kod|code|number|nummer|numero|nr|no))?`, 'a-z0-9_')})` +
        `(\\s*[:=#]\\s*|${enc('(?:3[ad]|23)')}${SPACE}*|${SPACE}+(?:(?:is|er|on|är|was|var|oli)${SPACE}+)?|-|)(\\d{3,12})(?!\\d)`,
      'gi',
    ),
    replacement: '$1$2[pin]',
    applies: (h) => h.lower.includes('pin'),
  },
  {
    // E-mail addresses, with letters of any script (åtest.öprov@sygehus.example) and URL-encoded
    // (test.person%40region.example, or the whole address percent-encoded). Starting only where a
    // run of address characters starts keeps the scan linear; a JSON escape before it (\n) is
    // not part of the address.
    name: 'email',
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}._%+-](?<!\\\\[nrtbf]))(?<!\\\\)[\\p{L}\\p{N}._%+-]+(?:@|${enc('40')})(?:[\\p{L}\\p{N}-]|%[0-9a-f]{2})+(?:\\.(?:[\\p{L}\\p{N}-]|%[0-9a-f]{2})+)+`,
      'giu',
    ),
    replacement: '[email]',
    applies: (h) => h.text.includes('@') || (h.text.includes('%') && ENCODED_AT.test(h.text)),
  },
  {
    // Finnish henkilötunnus DDMMYY C NNN Q (century sign + - A-F U-Y), Danish CPR DDMMYY-NNNN
    // and Swedish personnummer YYMMDD-NNNN / YYMMDD+NNNN: six digits, sign (also URL-encoded:
    // 010190%2D1234), four characters. Not inside a longer token: a UUID's segments are
    // preceded or followed by '-'. The century signs are upper case only, so a lower-case hex
    // id is never one.
    name: 'nordic id',
    pattern: new RegExp(`${notAfter('\\p{L}\\p{N}_-')}\\d{6}(?:[-+A-FU-Y]|%(?:25)*2[dDbB])\\d{3}[0-9A-FHJ-NPR-Y](?![\\p{L}\\p{N}_-])`, 'gu'),
    replacement: '[id]',
    applies: (h) => h.sixDigits,
  },
  {
    // Swedish personnummer with the century: YYYYMMDD-NNNN, and YYYYMMDDNNNN when the date is one.
    name: 'personnummer',
    pattern: new RegExp(`(${notAfter('\\p{L}\\p{N}_.-')}[12]\\d{7})([-+]|%(?:25)*2[dDbB])?(\\d{4})(?![\\p{L}\\p{N}_-]|\\.\\d)`, 'gu'),
    replacement: (match: string, date: string, sign?: string) =>
      /^(?:18|19|20)/.test(date) && (sign !== undefined || validYyMmDd(date.slice(2))) ? '[id]' : match,
    applies: (h) => h.sixDigits,
  },
  {
    // CPR (or personnummer) without its dash: a lone 10-digit number whose first six digits
    // are a date (DDMMYY or YYMMDD). Recent Unix timestamps (17xxxxxxxx) are not dates.
    name: 'id without dash',
    pattern: new RegExp(`${notAfter('\\p{L}\\p{N}_.')}\\d{10}(?![\\p{L}\\p{N}_]|\\.\\d)`, 'gu'),
    replacement: (match: string) => (validDdMmYy(match) || validYyMmDd(match) ? '[id]' : match),
    applies: (h) => h.sixDigits,
  },
  {
    // International phone numbers: +45 12345678, +45 12 34 56 78, +358 40 123 4567,
    // +46 70 123 45 67, +46 (0)70-123 45 67, %2B4512345678. At least 7 digits, so a time
    // zone offset (+0100) is not one.
    name: 'international phone',
    pattern: new RegExp(`${startingWord(`\\+|${enc('2b')}`, '\\w+%')}\\d{1,3}(?:(?:${SPACE}|[.+-])?\\(?\\d{1,4}\\)?){2,8}(?!\\d)`, 'gi'),
    replacement: (match: string) => (digitCount(match) >= 7 ? '[number]' : match),
    applies: (h) => h.text.includes('+') || (h.text.includes('%') && ENCODED_PLUS.test(h.text)),
  },
  {
    // National phone numbers with the trunk 0: 040-1234567, 0401234567, 040 123 4567,
    // 070-123 45 67, 08-123 456 78. 8 to 12 digits. Not after '.', ':' or '-' (IP addresses,
    // times, the day of a date), not before '.' or ':' and a digit, and not inside a longer token.
    name: 'national phone',
    pattern: new RegExp(`${startingWord('0', '\\w.:%+-')}\\d{1,3}(?:(?:${SPACE}|-)?\\d{2,4}){1,4}(?![\\w-]|[.:]\\d)`, 'g'),
    replacement: (match: string) => {
      const digits = digitCount(match);
      return digits >= 8 && digits <= 12 ? '[number]' : match;
    },
    applies: (h) => NATIONAL_START.test(h.text),
  },
  {
    // Danish numbers in pairs: 12 34 56 78.
    name: 'paired phone',
    pattern: new RegExp(`${startingWord('\\d{2}', '\\w.:,%-')}(?:${SPACE}\\d{2}){3}(?![\\w-]|[.:]\\d|${SPACE}\\d)`, 'gi'),
    replacement: '[number]',
    applies: (h) => PAIRS.test(h.text),
  },
  {
    // Any number after a word that says it is a phone number (a Danish 12345678 has no
    // other mark): "tlf. 12345678", "phone: 20 30 40 50", "puh 0401234567", "\"msisdn\":\"4512345678\"",
    // "telefonnummer 12345678".
    name: 'phone in context',
    pattern: new RegExp(
      `(${startingWord('tlf|tel|telefon|telephone|phone|mobile|mobil|mob|puh|puhelin|gsm|cell|msisdn|sms', 'a-z')}(?:[ _-]?(?:nummer|number|numero|nr|no))?\\.?${QUOTE}?(?:${KV_SEPARATOR})?${SPACE}*${QUOTE}?)` +
        `(?:\\+|${enc('2b')})?\\d(?:[\\d-]|${SPACE}){6,}\\d`,
      'gi',
    ),
    replacement: '$1[number]',
  },
  {
    // A bare Danish number (8 digits, nothing else marks it) where the line says it is called
    // or texted: the SMS gateway's `{"to":"20304050"}`, a dial-out's `"destination"`, "ring
    // 12345678", "ring til 12345678", "call 12345678", "soita 12345678", "recipient=…", with
    // a Nordic country code or not (4520304050, 004520304050). The word decides, not the
    // number: an eight-digit number elsewhere is as often a byte count, a duration in ms or a
    // date (20261201) that IT needs, and the PINs the console holds are caught anywhere by the
    // registry. "to" is an ordinary word, hence exactly eight digits (plus the country code)
    // standing alone: not part of a date, time, address or decimal (2026-12-31, 10:00, 1.2),
    // and not followed by a unit ("to 16777216 bytes", "to 30000000 ms" stay).
    name: 'called number',
    pattern: new RegExp(
      `(${startingWord('to|til|till|recipients?|receiver|modtager|mottagare|vastaanottaja|destination|callee|ring(?:e|er|a|ede|de)?|call(?:s|ed|ing)?|dial(?:s|l?ed|l?ing)?|soita|soitto', '\\p{L}\\p{N}_')}` +
        `(?:${SPACE}+(?:til|till|to|på))?${QUOTE}?(?:${KV_SEPARATOR}|${SPACE}+)${QUOTE}?)` +
        `(?:(?:\\+|${enc('2b')}|00)?(?:45|46|47|298|299|354|358)${SPACE}?)?\\d{8}` +
        `(?!\\p{N}|[.:/,-]\\p{N}|${SPACE}?(?:(?:ms|s|secs?|seconds?|min|minutes?|h|hours?|bytes?|[kmg]i?b|b)(?!\\p{L})|%(?![0-9a-f]{2})))`,
      'giu',
    ),
    replacement: '$1[number]',
    applies: (h) => h.sixDigits,
  },
];

/**
 * Returns the text with every known and recognisable secret replaced by a placeholder
 * (`[name]`, `[subject]`, `[pin]`, `[token]`, `[redacted]`, `[email]`, `[id]`, `[number]`).
 */
export function redact(text: string): string {
  let out = text;
  // The registry first: a name may contain what a pattern would cut in half.
  for (const kind of ['subjects', 'names', 'pins'] as const) {
    const pattern = known[kind];
    if (pattern) out = out.replace(pattern, KNOWN_LABEL[kind]);
  }
  // The hints are taken once, from the line before the patterns: a replacement only ever
  // removes text (placeholders are never matched again), so it cannot make a rule apply.
  const hints: LineHints = { text: out, lower: out.toLowerCase(), sixDigits: /\d{6}/.test(out) };
  for (const rule of rules) {
    if (rule.applies && !rule.applies(hints)) continue;
    const { pattern, replacement } = rule;
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}
