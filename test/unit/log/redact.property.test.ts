/**
 * Properties of the log redactor, over generated data (all of it invented: the numbers are
 * well-formed but random, the names are made-up letter strings).
 *
 *  - Every generated secret (Danish CPR, Finnish henkilötunnus with a valid check character,
 *    Swedish personnummer with a valid Luhn digit, Danish/Finnish/Swedish phone numbers,
 *    PINs next to their keywords or in URLs, bearer and JWT-like tokens, e-mail addresses
 *    plain and URL-encoded, bare Danish numbers where the line says they are called or
 *    texted), dropped into random text, is gone after `redact()`; also when the whole line is
 *    URL-encoded (once or twice, as a logged query or form body) or JSON-escaped (as a request
 *    body quoted inside an error message).
 *    The surrounding text has its digits removed and every generated secret has digits, so
 *    "no digit is left in the output" (apart from those of %-escapes and \u-escapes) is an
 *    exact check that nothing of the secret survived, not even a part of it.
 *  - Text made only of timestamps, UUIDs, IPv4 addresses with ports, day strings, durations
 *    and HTTP statuses comes out unchanged, and so do eight-digit measures after "to".
 *  - A registered name comes out replaced in any case and URL-encoded.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { redact, setKnownSecrets } from '../../../main/log/redact';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const digits = (count: number) => fc.stringMatching(new RegExp(`^\\d{${count}}$`));

const dayBetween = (fromYear: number, toYear: number) =>
  fc.date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true });
const ddmmyy = (d: Date) => `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCFullYear() % 100)}`;
const yymmdd = (d: Date) => `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;

/** Danish CPR: DDMMYY-SSSS, the ten digits alone, or the dash URL-encoded by an encoder that encodes it (%2D). */
const cpr = fc
  .tuple(dayBetween(1900, 2099), digits(4), fc.constantFrom('-', '', '%2D'))
  .map(([d, serial, dash]) => `${ddmmyy(d)}${dash}${serial}`);

/** Finnish henkilötunnus: DDMMYY, century sign, individual number 002-899, check character. */
const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';
export function hetuCheck(dateAndNumber: string): string {
  return HETU_CHECK[Number(dateAndNumber) % 31]!;
}
const hetu = fc
  .tuple(dayBetween(1800, 2099), fc.integer({ min: 2, max: 899 }), fc.nat())
  .map(([d, individual, pick]) => {
    const year = d.getUTCFullYear();
    const signs = year < 1900 ? ['+'] : year < 2000 ? ['-', 'U', 'V', 'W', 'X', 'Y'] : ['A', 'B', 'C', 'D', 'E', 'F'];
    const body = `${ddmmyy(d)}${pad(individual, 3)}`;
    return `${ddmmyy(d)}${signs[pick % signs.length]}${pad(individual, 3)}${hetuCheck(body)}`;
  });

/** Swedish personnummer: the Luhn digit over YYMMDDNNN. */
export function luhnDigit(nineDigits: string): number {
  let sum = 0;
  for (const [i, char] of [...nineDigits].entries()) {
    const product = Number(char) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}
const personnummer = fc
  .tuple(dayBetween(1900, 2099), digits(3), fc.constantFrom('long', 'short', 'centenarian', 'twelve'))
  .map(([d, serial, form]) => {
    const check = luhnDigit(`${yymmdd(d)}${serial}`);
    const yyyy = String(d.getUTCFullYear());
    switch (form) {
      case 'long':
        return `${yyyy}${yymmdd(d).slice(2)}-${serial}${check}`;
      case 'short':
        return `${yymmdd(d)}-${serial}${check}`;
      case 'centenarian':
        return `${yymmdd(d)}+${serial}${check}`;
      default:
        return `${yyyy}${yymmdd(d).slice(2)}${serial}${check}`;
    }
  });

const pairs = (eight: string) => eight.match(/\d\d/g)!.join(' ');
const danishPhone = fc
  .tuple(
    fc.stringMatching(/^[2-9]\d{7}$/),
    fc.constantFrom('+45 n', '+45n', '+45 pairs', 'pairs', 'tlf. n', '%2B45n', '%2B45%20pairs', 'telefonnummer n'),
  )
  .map(([n, form]) =>
    form
      .replace('%20pairs', `%20${pairs(n).replace(/ /g, '%20')}`)
      .replace('pairs', pairs(n))
      .replace(/n$/, n),
  );
/**
 * A Danish number with nothing but the line's words to mark it: the SMS gateway's body
 * (`{"to":"20304050"}`), a dial-out's destination, "ring 12345678" (Danish: call).
 */
const calledNumber = fc
  .tuple(
    fc.stringMatching(/^[2-9]\d{7}$/),
    fc.constantFrom('"to":"§"', '"to":§', 'to=§', '&to=45§', 'ring §', 'ring til §', 'Ring: §', 'call §', 'soita §', '"destination":"0045§"', 'recipient §'),
  )
  .map(([n, form]) => form.replace('§', n));
const finnishPhone = fc
  .tuple(fc.constantFrom('40', '41', '44', '45', '46', '50'), digits(3), digits(4), fc.constantFrom('intl', 'dash', 'plain', 'spaced', 'encoded'))
  .map(([p, a, b, form]) =>
    ({ intl: `+358 ${p} ${a} ${b}`, dash: `0${p}-${a}${b}`, plain: `0${p}${a}${b}`, spaced: `0${p} ${a} ${b}`, encoded: `%2B358${p}${a}${b}` })[form],
  );
const swedishPhone = fc
  .tuple(fc.constantFrom('70', '72', '73', '76', '79'), digits(3), digits(2), digits(2), fc.constantFrom('intl', 'national', 'plain', 'compact'))
  .map(([p, a, b, c, form]) => ({ intl: `+46 ${p} ${a} ${b} ${c}`, national: `0${p}-${a} ${b} ${c}`, plain: `0${p}${a}${b}${c}`, compact: `+46${p}${a}${b}${c}` })[form]);

const pin = fc
  .tuple(
    fc.stringMatching(/^\d{4,8}$/),
    fc.constantFrom('PIN §', 'pin: §', 'PIN-koodi §', 'pinkode §', '"hostPin":§', '"guestPin":"§"', '?pin=§', '&guestPin=§', '/pin/§', 'hostPin=§', 'pin%3D§', 'pin%253D§', 'PIN§', 'hostPin§'),
  )
  .map(([p, form]) => form.replace('§', p));

const tokenChars = /^[A-Za-z0-9_-]{12,40}[0-9][A-Za-z0-9_-]{0,12}$/;
const bearer = fc.tuple(fc.stringMatching(tokenChars), fc.constantFrom('Bearer ', 'bearer ', 'Bearer%20', 'Authorization: Bearer ')).map(([t, prefix]) => `${prefix}${t}`);
const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{4,30}$/);
const jwt = fc.tuple(b64, b64, b64, fc.integer({ min: 0, max: 9 })).map(([a, b, c, n]) => `eyJ${a}${n}.${b}.${c}`);

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzåäöæø');
const word = (min: number, max: number) => fc.string({ unit: letter, minLength: min, maxLength: max });
const email = fc
  .tuple(word(1, 8), digits(2), fc.option(word(1, 8), { nil: undefined }), word(2, 8), fc.integer({ min: 0, max: 9 }), fc.constantFrom('dk', 'fi', 'se', 'example'), fc.constantFrom('plain', '%40', 'encoded', 'mailto'))
  .map(([first, n, last, host, m, tld, form]) => {
    const local = `${first}${n}${last ? `.${last}` : ''}`;
    const domain = `${host}${m}.${tld}`;
    switch (form) {
      case 'plain':
        return `${local}@${domain}`;
      case '%40':
        return `${local}%40${domain}`;
      case 'encoded':
        return encodeURIComponent(`${local}@${domain}`);
      default:
        return `mailto:${local}@${domain}`;
    }
  });

/** Random text with no digits: lorem words, printable ASCII, or any Unicode. */
const surrounding = fc
  .oneof(fc.lorem({ maxCount: 6 }), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
  .map((text) => text.replace(/\p{Nd}/gu, ''));
/** What separates the secret from the text around it in a log line. */
const separator = fc.constantFrom(' ', '\n', '\t', ', ', '; ', ' (', ') ', ' = ', ': ');

const secrets = { cpr, hetu, personnummer, danishPhone, calledNumber, finnishPhone, swedishPhone, pin, bearer, jwt, email };

/** How the whole line reaches the log: as written, URL-encoded (once or twice), or JSON-escaped. */
const encodings: Record<string, (line: string) => string> = {
  plain: (line) => line,
  'URL-encoded': (line) => encodeURIComponent(line),
  'URL-encoded twice': (line) => encodeURIComponent(encodeURIComponent(line)),
  'JSON-escaped': (line) => JSON.stringify(line).slice(1, -1),
};

/** What makes the redactor read a bare eight-digit number as a measure: a unit right after it. */
const UNIT_NEXT = /^[ \t]?(?:(?:ms|s|secs?|seconds?|min|minutes?|h|hours?|bytes?|[kmg]i?b|b)(?!\p{L})|%)/iu;

describe('redact() over generated secrets in random text', () => {
  for (const [kind, secret] of Object.entries(secrets)) {
    it(`leaves nothing of a ${kind}, plain, URL-encoded or JSON-escaped`, () => {
      fc.assert(
        fc.property(surrounding, separator, secret, separator, surrounding, fc.constantFrom(...Object.keys(encodings)), (before, sep1, value, sep2, after, encoding) => {
          // By the rule's design, a unit after a bare number makes it a measure ("to 20304050 ms").
          if (kind === 'calledNumber') fc.pre(!UNIT_NEXT.test(sep2 + after));
          const encode = encodings[encoding]!;
          const out = redact(encode(`${before}${sep1}${value}${sep2}${after}`));
          expect(out).not.toContain(encode(value));
          // The syntax of escapes around a secret (%3D, %2520, \u001f) carries digits of its own.
          expect(out.replace(/%(?:25)*[0-9a-f]{2}|\\u[0-9a-f]{4}/gi, ''), `${JSON.stringify(value)} (${encoding}) in ${JSON.stringify(out)}`).not.toMatch(/\d/);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the generators make what they claim (check characters and Luhn digits verify)', () => {
    // The Finnish example from the population register's own documentation form: 131052-308T.
    expect(hetuCheck('131052308')).toBe('T');
    // A Swedish test number from Skatteverket's published series: 811228-9874.
    expect(luhnDigit('811228987')).toBe(4);
    fc.assert(
      fc.property(hetu, (id) => {
        expect(id).toMatch(/^\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]$/);
        expect(hetuCheck(id.slice(0, 6) + id.slice(7, 10))).toBe(id[10]);
      }),
    );
  });
});

describe('redact() over harmless log content', () => {
  const timestamp = dayBetween(1970, 2099).map((d) => new Date(d.getTime() + (d.getTime() % 86_400_000)).toISOString());
  const day = dayBetween(1970, 2099).map((d) => d.toISOString().slice(0, 10));
  const uuid = fc.uuid();
  const octet = fc.integer({ min: 0, max: 255 });
  const ipPort = fc.tuple(octet, octet, octet, octet, fc.integer({ min: 1, max: 65535 })).map(([a, b, c, d, port]) => `${a}.${b}.${c}.${d}:${port}`);
  const duration = fc.integer({ min: 0, max: 600_000 }).map((ms) => `${ms} ms`);
  const status = fc.integer({ min: 100, max: 599 }).map((code) => `HTTP ${code}`);
  const joiner = fc.constantFrom(' ', ', ', '\n', ' | ', '; ', ' -> ');

  it('keeps text made only of timestamps, UUIDs and ports', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(timestamp, uuid, ipPort), { minLength: 1, maxLength: 12 }), joiner, (parts, join) => {
        const text = parts.join(join);
        expect(redact(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps eight-digit measures and dates, also after "to" and under other keys', () => {
    const eight = fc.integer({ min: 10_000_000, max: 99_999_999 });
    const measure = fc.oneof(
      fc.tuple(eight, fc.constantFrom(' ms', ' bytes', ' s', 'ms', ' MiB', ' kB', '%')).map(([n, unit]) => `to ${n}${unit}`),
      fc.tuple(fc.constantFrom('expiresInMs', 'size', 'durationMs', 'bytes'), eight).map(([key, n]) => `{"${key}":${n}}`),
      day.map((d) => `from 2026-01-01 to ${d}`),
      ipPort.map((address) => `to ${address}`),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(measure, timestamp, uuid), { minLength: 1, maxLength: 6 }), joiner, (parts, join) => {
        const text = parts.join(join);
        expect(redact(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('also with day strings, durations and HTTP statuses among them', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(timestamp, uuid, ipPort, day, duration, status), { minLength: 1, maxLength: 12 }), joiner, (parts, join) => {
        const text = parts.join(join);
        expect(redact(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the registry over generated names', () => {
  afterEach(() => setKnownSecrets('names', []));

  // A made-up name with an ø in it, which random ASCII text and lorem words never contain.
  const name = fc.tuple(word(2, 6), word(1, 4), word(3, 8)).map(([a, b, last]) => `${a[0]!.toUpperCase()}${a.slice(1)}ø${b} ${last[0]!.toUpperCase()}${last.slice(1)}`);
  const withoutO = surrounding.map((text) => text.replace(/[øØ]/g, ''));
  const recase = (text: string, flips: boolean[]) => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');

  it('replaces a registered name written in any case, plain or URL-encoded', () => {
    fc.assert(
      fc.property(name, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.constantFrom('plain', 'encoded', 'form'), withoutO, withoutO, (value, flips, form, before, after) => {
        setKnownSecrets('names', [value]);
        const written = recase(value, flips);
        const embedded = form === 'plain' ? written : form === 'encoded' ? encodeURIComponent(written) : encodeURIComponent(written).replace(/%20/g, '+');
        const out = redact(`${before} ${embedded} ${after}`);
        expect(out).toContain('[name]');
        expect(out.toLowerCase()).not.toContain('ø');
        expect(out.toLowerCase()).not.toContain('%c3%b8');
        expect(out.toLowerCase()).not.toContain('%c3%98');
      }),
      { numRuns: 300 },
    );
  });
});
