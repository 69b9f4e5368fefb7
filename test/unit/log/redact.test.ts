import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger';
import { redact, setKnownSecrets } from '../../../main/log/redact';

// Every person, number and address below is invented.

describe('log redaction', () => {
  it.each([
    ['Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'eyJ'],
    ['token refused: access_token=abc.def-ghi', 'abc.def-ghi'],
    ['{"refresh_token":"0.AAAAbbbb"}', '0.AAAAbbbb'],
    ['portal link ?url=1782@test.invalid&pin=9180', '9180'],
    ['mail for demo.clinician@example.org failed', 'demo.clinician@example.org'],
    ['sms to +45 12 34 56 78 failed', '12 34 56 78'],
    ['secret: 5678 was wrong', '5678'],
  ])('removes the secret from %s', (line, secret) => {
    expect(redact(line)).not.toContain(secret);
  });

  it('keeps ordinary diagnostic text', () => {
    expect(redact('sync: 2026-11-22 not updated: offline (HTTP 503)')).toBe('sync: 2026-11-22 not updated: offline (HTTP 503)');
  });

  it('applies to every line a logger writes, error details included', () => {
    const lines: string[] = [];
    const log = createLogger([(l) => lines.push(l)]).child('test');
    log.error('request failed', new Error('401 for token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[app:test] request failed');
    expect(lines[0]).not.toContain('eyJ');
  });

  it("leaves the logger's own timestamp alone, even when a registered PIN equals the year", () => {
    const lines: string[] = [];
    const year = String(new Date().getUTCFullYear());
    setKnownSecrets('pins', [year]);
    try {
      createLogger([(l) => lines.push(l)]).info(`room pin ${year} refused`);
    } finally {
      setKnownSecrets('pins', []);
    }
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO \[app\] room pin \[pin\] refused$/);
  });
});

describe('Nordic personal data and URL-encoded secrets', () => {
  // [what, line, the secret that must be gone]
  const caught: Array<[string, string, string]> = [
    ['Danish CPR', 'patient 010190-1234 not found', '010190-1234'],
    ['Danish CPR without the dash', 'lookup cpr=0101901234 failed', '0101901234'],
    ['CPR in a URL path', 'GET /patients/2512851234/consents 404', '2512851234'],
    ['Finnish HETU, 1900s', 'hetu 010190-123A rejected', '010190-123A'],
    ['Finnish HETU, 2000s (A)', 'id 010105A987K', '010105A987K'],
    ['Finnish HETU, new 2000s sign (B)', 'id 010105B987K.', '010105B987K'],
    ['Finnish HETU, new 2000s sign (F)', 'id (311210F123X)', '311210F123X'],
    ['Finnish HETU, new 1900s sign (U)', 'id 150375U456T,', '150375U456T'],
    ['Finnish HETU, new 1900s sign (Y)', '"150375Y456T"', '150375Y456T'],
    ['Finnish HETU, 1800s (+)', 'id 150375+4563', '150375+4563'],
    ['Swedish personnummer with century', 'pnr 19900101-1234', '19900101-1234'],
    ['Swedish personnummer', 'pnr 900101-1234', '900101-1234'],
    ['Swedish personnummer, over 100 years', 'pnr 900101+1234', '900101+1234'],
    ['Swedish personnummer, 12 digits', 'pnr=199001011234&x', '199001011234'],
    ['Swedish samordningsnummer, 12 digits', 'pnr 199001611234', '199001611234'],
    ['Danish phone, +45 and 8 digits', 'sms to +45 12345678 failed', '12345678'],
    ['Danish phone, pairs', 'sms to +45 12 34 56 78 failed', '56 78'],
    ['Danish phone, pairs without country code', 'call 21 43 65 87 back', '65 87'],
    ['Danish phone after "tlf."', 'tlf. 21436587', '21436587'],
    ['Danish phone in a JSON field', '{"phone":"21436587"}', '21436587'],
    ['Finnish mobile, international', 'sms to +358 40 123 4567 failed', '123 4567'],
    ['Finnish mobile with dash', 'puh 040-1234567', '1234567'],
    ['Finnish mobile, digits only', 'to 0401234567 failed', '0401234567'],
    ['Finnish mobile with spaces', 'to 050 765 4321 failed', '765 4321'],
    ['Swedish mobile, international', 'sms to +46 70 123 45 67 failed', '123 45 67'],
    ['Swedish mobile, national', 'sms to 070-123 45 67 failed', '123 45 67'],
    ['Swedish mobile, trunk in parentheses', 'sms to +46 (0)70-123 45 67 failed', '123 45 67'],
    ['phone number, compact', 'to=+4512345678', '4512345678'],
    ['phone number, URL-encoded +', 'to=%2B4512345678&text=x', '4512345678'],
    ['phone number, URL-encoded + and spaces', 'to=%2B45%2012%2034%2056%2078', '%2056%2078'],
    ['phone number, form-encoded spaces', 'to=%2B358+40+123+4567', '123+4567'],
    ['e-mail, URL-encoded @', 'invite?to=testperson.alfa%40region.example&x=1', 'testperson.alfa'],
    ['e-mail, fully URL-encoded', 'to=%C3%A5test.%C3%B6prov%40sygehus.example', '%C3%B6prov'],
    ['e-mail with non-ASCII letters', 'mail to åtest.öprov@sygehus.example failed', 'öprov'],
    ['e-mail with Danish letters', 'mail to prøve.ærø@hospital.example', 'ærø'],
    ['bearer token, URL-encoded space', 'auth=Bearer%20abcDEF123ghi456', 'abcDEF123ghi456'],
    ['bearer token, form-encoded space', 'auth=Bearer+abcDEF123ghi456', 'abcDEF123ghi456'],
    ['basic credentials in a header', 'authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA'],
    ['JSON token', '{"token":"s3cr3t-t0ken value"}', 's3cr3t'],
    ['JSON token with escaped quotes', '{"token":"a\\"b c"}', 'b c'],
    ['JSON host PIN, a number', '{"hostPin":12345678,"x":1}', '12345678'],
    ['JSON guest PIN, a string', '{"guestPin":"1234"}', '1234'],
    ['JSON with spaces around the colon', '{ "password" : "hunter two" }', 'hunter two'],
    ['URL-encoded JSON', 'body=%7B%22token%22%3A%22abc123%22%7D', 'abc123'],
    ['client secret', 'client_secret=Zx9-Qw8', 'Zx9-Qw8'],
    ['CSRF token field', 'x_csrf_token=abc123def', 'abc123def'],
    ['PIN in prose', 'guest entered PIN 483920', '483920'],
    ['pin with a colon', 'wrong pin: 4839', '4839'],
    ['Finnish PIN word', 'PIN-koodi 4839 väärin', '4839'],
    ['Danish PIN word', 'pinkode 4839 forkert', '4839'],
    ['Swedish PIN word', 'PIN-kod är 4839', '4839'],
    ['host PIN in prose', 'hostPin 12345678 set', '12345678'],
    ['PIN in a URL path', 'GET /rooms/r1/pin/483920 403', '483920'],
    ['guest PIN in a URL path', 'POST /guestPin/4839', '4839'],
    ['PIN in a query', 'GET /join?room=r1&pin=483920 200', '483920'],
    ['guest PIN in a query', 'GET /join?room=r1&guestPin=4839', '4839'],
    ['PIN in a URL-encoded query', 'next=%2Fjoin%3Fpin%3D4839', '4839'],
    ['PIN in a query URL-encoded twice', 'next=%252Fjoin%253Fpin%253D48291375', '48291375'],
    ['PIN glued to the word', 'PIN48291375 refused', '48291375'],
    ['host PIN glued to the word', 'hostPin48291375', '48291375'],
    ['JSON-escaped host PIN', 'body: {\\"hostPin\\":\\"48291375\\"}', '48291375'],
    ['CPR with a URL-encoded dash', 'GET /patients?cpr=010190%2D1234', '010190%2D1234'],
    ['personnummer after a URL-encoded =', 'q=pnr%3D199001011234', '199001011234'],
    ['Danish number in an SMS body', 'sms: {"to":"20304050","text":"x"}', '20304050'],
    ['Danish number in a JSON-escaped SMS body', 'gateway said 400 for {\\"to\\":\\"20304050\\"}', '20304050'],
    ['Danish number in a URL-encoded SMS body', 'body=%7B%22to%22%3A%2220304050%22%7D', '20304050'],
    ['Danish number to ring', 'ring 12345678 i morgen', '12345678'],
    ['Danish number to ring, with "til"', 'ring til 12345678', '12345678'],
    ['Danish number with the country code, no plus', 'to=4520304050&text=x', '4520304050'],
    ['dial-out destination', '{"destination":"004520304050"}', '004520304050'],
    ['telefonnummer', 'telefonnummer 12345678', '12345678'],
    ['phone number URL-encoded twice', 'to=%25252B4520304050', '4520304050'],
    ['e-mail after a JSON-escaped newline', 'x\\ntestperson.alfa@region.example', 'testperson.alfa'],
  ];

  it.each(caught)('%s', (_what, line, secret) => {
    const out = redact(line);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/\[(?:token|pin|redacted|email|id|number)\]/);
  });

  // [what, line]: each must come out exactly as it went in.
  const harmless: Array<[string, string]> = [
    ['an ISO timestamp', 'at 2026-12-01T19:46:38.123Z'],
    ['a timestamp with an offset', 'at 2026-12-01T20:46:38+01:00'],
    ['a day string', 'sync: 2026-12-01 done'],
    ['a UUID', 'meeting 123e4567-e89b-12d3-a456-426614174000 synced'],
    ['a UUID of digits', 'room 19900101-1234-1234-1234-199001011234 open'],
    ['an IPv4 address with a port', 'connect ECONNREFUSED 127.0.0.1:8088'],
    ['a private IPv4 address with a port', 'janus at 10.0.0.12:8188'],
    ['an HTTP status', 'booking API answered HTTP 503'],
    ['a status code field', 'status_code=503 errorCode: ECONNRESET'],
    ['a duration', 'sync took 1625 ms (p95 2300 ms)'],
    ['a hex id', 'session deadbeef0123456789abcdef0123456789abcd'],
    ['a hex id of digits', 'trace 0123456789012345'],
    ['a version', 'electron 45.4.1, node v22.20.0'],
    ['a recent Unix timestamp', 'exp 1764618398'],
    ['counts', '42 meetings, 3 days back, 30 forward'],
    ['a day range', 'sync: from 2026-12-01 to 2026-12-31'],
    ['an address after "to"', 'connecting to 127.0.0.1:8088'],
    ['eight digits with a unit after "to"', 'buffer raised to 16777216 bytes, timeout to 28800000 ms'],
    ['an eight-digit measure in JSON', '{"expiresInMs":28800000,"size":16777216}'],
    ['an eight-digit number without a word that calls it', 'room 20304050 has 3 participants'],
    ['a UUID whose first group is digits', 'to 12345678-1234-4234-8234-123456789012'],
  ];

  it.each(harmless)('keeps %s', (_what, line) => {
    expect(redact(line)).toBe(line);
  });

  it('keeps a whole ordinary log line', () => {
    const line = 'call: room 123e4567-e89b-12d3-a456-426614174000 at 127.0.0.1:8088 answered HTTP 200 in 1625 ms on 2026-12-01';
    expect(redact(line)).toBe(line);
  });
});

describe('the registry of what the console holds', () => {
  afterEach(() => {
    for (const kind of ['names', 'subjects', 'pins'] as const) setKnownSecrets(kind, []);
  });

  it('replaces a registered name in any case, with any spacing, and URL-encoded', () => {
    setKnownSecrets('names', ['Åtest Öprov']);
    for (const form of ['Åtest Öprov', 'åtest öprov', 'ÅTEST ÖPROV', 'Åtest  Öprov', 'Åtest\tÖprov', 'Åtest%20Öprov', 'Åtest+Öprov', '%C3%85test%20%C3%96prov', '%c3%a5test+%c3%b6prov', '%C3%85TEST%20%C3%96PROV', '%C3%85tEsT%20%C3%B6PrOv']) {
      expect(redact(`invite for ${form} sent`), form).toBe('invite for [name] sent');
    }
  });

  it('replaces a registered subject and PIN', () => {
    setKnownSecrets('subjects', ['Kontrol af blodtryk']);
    setKnownSecrets('pins', ['583920']);
    expect(redact('meeting "KONTROL AF BLODTRYK" moved')).toBe('meeting "[subject]" moved');
    expect(redact('subject=Kontrol%20af%20blodtryk&x=1')).toBe('subject=[subject]&x=1');
    expect(redact('room code 583920 refused')).toBe('room code [pin] refused');
    expect(redact('next=%2Fj%2F583920')).toBe('next=%2Fj%2F583920'.replace('583920', '[pin]'));
  });

  it('treats values as literal text, longest first, and never inside a longer word or number', () => {
    setKnownSecrets('names', ['Qxa', 'Qxa O. (Test)', 'Qxaz-Zy']);
    setKnownSecrets('pins', ['4839']);
    expect(redact('Qxa O. (Test) called')).toBe('[name] called');
    expect(redact('Qxa called')).toBe('[name] called');
    expect(redact('Qxaz-Zy called')).toBe('[name] called');
    expect(redact('QxaX called; Qxaline report; Qxa. O  (Test)')).toBe('QxaX called; Qxaline report; [name]. O  (Test)');
    expect(redact('ids 148390 and 48391 and 4839')).toBe('ids 148390 and 48391 and [pin]');
  });

  it('ignores values shorter than three characters, and blanks', () => {
    setKnownSecrets('names', ['Qa', '  ', 'Zu ']);
    setKnownSecrets('pins', ['12']);
    expect(redact('Qa and Zu paid 12 DKK')).toBe('Qa and Zu paid 12 DKK');
  });

  it("does not turn a PIN equal to this year into an oracle in every timestamp", () => {
    setKnownSecrets('pins', ['2026']);
    expect(redact('at 2026-12-01T19:46:38.123Z, day 2026-12-01, 19:46:38.2026')).toBe('at 2026-12-01T19:46:38.123Z, day 2026-12-01, 19:46:38.2026');
    expect(redact('pin was 2026')).toBe('pin was [pin]');
  });

  it('replaces the set of a kind, and an empty set clears it', () => {
    setKnownSecrets('names', ['Testperson Alfa']);
    expect(redact('Testperson Alfa joined')).toBe('[name] joined');
    setKnownSecrets('names', ['Testperson Beta']);
    expect(redact('Testperson Alfa joined; Testperson Beta left')).toBe('Testperson Alfa joined; [name] left');
    setKnownSecrets('names', []);
    expect(redact('Testperson Beta left')).toBe('Testperson Beta left');
  });

  it('keeps the kinds apart', () => {
    setKnownSecrets('names', ['Testperson Alfa']);
    setKnownSecrets('subjects', ['Testperson Alfa kontrol']);
    expect(redact('Testperson Alfa kontrol; Testperson Alfa')).toBe('[subject]; [name]');
    setKnownSecrets('subjects', []);
    expect(redact('Testperson Alfa kontrol')).toBe('[name] kontrol');
  });

  it('handles many values and refuses an unknown kind', () => {
    setKnownSecrets('names', Array.from({ length: 500 }, (_, i) => `Testperson${i} Efternavn${i}`));
    expect(redact('from testperson123 efternavn123 and Testperson1234 Efternavn1')).toBe('from [name] and Testperson1234 Efternavn1');
    expect(() => setKnownSecrets('emails' as never, ['x'])).toThrow(TypeError);
  });
});
