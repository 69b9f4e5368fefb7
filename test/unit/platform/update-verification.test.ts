/**
 * Our own update checks, function by function. The outputs of PowerShell and codesign are
 * given as text (the tools exist only on Windows and macOS); the feed test
 * (update-feed.test.ts) runs the same checks inside a real electron-updater.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assessUpdate,
  compareVersions,
  isSha512Base64,
  parseAuthenticode,
  parseCodesignDisplay,
  parseDn,
  parseVersion,
  publisherMatches,
  sameSubject,
  sha512OfFile,
  updateConfigFacts,
  windowsInstallKind,
  windowsUpdateVerifier,
  type AuthenticodeResult,
} from '../../../main/updates/update-verification';
import { tempDir } from '../../support/temp-dir';

const sha = (text: string) => createHash('sha512').update(text).digest('base64');
const SUBJECT = 'CN=Example Publisher ApS, O=Example Publisher ApS, L=Aarhus, S=Midtjylland, C=DK';

describe('versions', () => {
  it('orders semantic versions, pre-releases before their release', () => {
    const order = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0'];
    for (let i = 1; i < order.length; i++) {
      expect(compareVersions(parseVersion(order[i - 1]!)!, parseVersion(order[i]!)!), `${order[i - 1]} < ${order[i]}`).toBeLessThan(0);
      expect(compareVersions(parseVersion(order[i]!)!, parseVersion(order[i - 1]!)!)).toBeGreaterThan(0);
    }
    expect(compareVersions(parseVersion('1.2.3+build.7')!, parseVersion('v1.2.3')!)).toBe(0);
    for (const bad of ['1.2', '01.2.3', '1.2.3.4', 'latest', '']) expect(parseVersion(bad), bad).toBeNull();
  });
});

describe('assessUpdate (before anything is downloaded)', () => {
  const feedUrl = 'https://updates.hospital.invalid/cc/';
  const good = { version: '1.3.0', files: [{ url: 'Clinician-Console-Setup-1.3.0.exe', sha512: sha('a') }], path: 'Clinician-Console-Setup-1.3.0.exe', sha512: sha('a') };

  it('approves a newer release from the feed’s own server, with the sha512s it lists', () => {
    const result = assessUpdate(good, { currentVersion: '1.2.0', feedUrl });
    expect(result).toEqual({ ok: true, update: { version: '1.3.0', sha512s: new Set([sha('a')]) } });
    expect(assessUpdate({ ...good, files: [{ url: 'https://updates.hospital.invalid/cc/sub/x.exe', sha512: sha('b') }] }, { currentVersion: '1.2.0', feedUrl: 'https://updates.hospital.invalid/cc' })).toMatchObject({ ok: true });
  });

  it.each<[string, Parameters<typeof assessUpdate>[0], string, RegExp]>([
    ['the same version', { ...good, version: '1.2.0' }, '1.2.0', /not newer/],
    ['a downgrade', { ...good, version: '1.1.9' }, '1.2.0', /not newer/],
    ['a pre-release', { ...good, version: '1.3.0-beta.1' }, '1.2.0', /pre-release/],
    ['no valid version', { ...good, version: 'latest' }, '1.2.0', /no valid version/],
    ['no files', { version: '1.3.0' }, '1.2.0', /no files/],
    ['a file without sha512', { version: '1.3.0', files: [{ url: 'x.exe' }] }, '1.2.0', /no valid sha512/],
    ['a sha512 that is not one', { version: '1.3.0', files: [{ url: 'x.exe', sha512: 'abc' }] }, '1.2.0', /no valid sha512/],
    ['a hex sha512', { version: '1.3.0', files: [{ url: 'x.exe', sha512: createHash('sha512').update('a').digest('hex') }] }, '1.2.0', /no valid sha512/],
    ['a file on another server', { ...good, files: [{ url: 'https://evil.example/x.exe', sha512: sha('a') }] }, '1.2.0', /not on the feed’s server/],
    ['a file on another port', { ...good, files: [{ url: 'https://updates.hospital.invalid:8443/x.exe', sha512: sha('a') }] }, '1.2.0', /not on the feed’s server/],
    ['a scheme-relative file URL', { ...good, files: [{ url: '//evil.example/x.exe', sha512: sha('a') }] }, '1.2.0', /not on the feed’s server/],
    ['the legacy path on another server', { ...good, path: 'http://updates.hospital.invalid/x.exe' }, '1.2.0', /not on the feed’s server/],
  ])('refuses %s', (_what, info, currentVersion, reason) => {
    const result = assessUpdate(info, { currentVersion, feedUrl });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('knows a sha512 when it sees one', () => {
    expect(isSha512Base64(sha('x'))).toBe(true);
    expect(isSha512Base64(sha('x').slice(0, -4))).toBe(false);
    expect(isSha512Base64(createHash('sha256').update('x').digest('base64'))).toBe(false);
    expect(isSha512Base64(undefined)).toBe(false);
  });

  it('hashes a file as electron-builder does', async () => {
    const dir = tempDir('cc-sha-');
    writeFileSync(join(dir, 'f'), 'payload');
    expect(await sha512OfFile(join(dir, 'f'))).toBe(sha('payload'));
    await expect(sha512OfFile(join(dir, 'missing'))).rejects.toThrow();
  });
});

describe('Authenticode (what Get-AuthenticodeSignature prints)', () => {
  it('reads our probe’s compact JSON and PowerShell’s own object', () => {
    expect(parseAuthenticode(`{"Status":0,"Subject":"${SUBJECT}","Path":"C:\\\\x.exe"}`)).toEqual({ status: 'valid', subject: SUBJECT, path: 'C:\\x.exe' });
    expect(parseAuthenticode(`\uFEFF{"Status":"Valid","SignerCertificate":{"Subject":"${SUBJECT}"}}\r\n`)).toEqual({ status: 'valid', subject: SUBJECT });
    expect(parseAuthenticode('{"Status":2,"Subject":null}')).toEqual({ status: 'not-signed' });
    expect(parseAuthenticode(`{"Status":3,"Subject":"${SUBJECT}"}`)).toEqual({ status: 'hash-mismatch', subject: SUBJECT });
    expect(parseAuthenticode(`{"Status":4,"Subject":"${SUBJECT}"}`)).toMatchObject({ status: 'not-trusted' });
  });

  it('never reads "valid" into something unexpected', () => {
    for (const out of ['', 'not json', '[]', 'null', '{"Status":0}', '{"Status":0,"Subject":""}', '{"Status":"0x0","Subject":"CN=x"}', '{"Status":7,"Subject":"CN=x"}']) {
      expect(parseAuthenticode(out).status, out).not.toBe('valid');
    }
  });

  it('parses distinguished names the way Windows prints them', () => {
    expect(parseDn('CN="Example, Inc.", O="Example, Inc.", L=Aarhus, C=DK')).toEqual(
      new Map([
        ['CN', ['Example, Inc.']],
        ['O', ['Example, Inc.']],
        ['L', ['Aarhus']],
        ['C', ['DK']],
      ]),
    );
    expect(parseDn('CN=Prøve Ærø Testsygehus, OU=IT, OU=Klinik, SERIALNUMBER=12345678, OID.1.3.6.1.4.1.311.60.2.1.3=DK, C=DK')?.get('OU')).toEqual(['IT', 'Klinik']);
    expect(parseDn('CN=a\\, b, C=DK')?.get('CN')).toEqual(['a, b']);
    for (const bad of ['', 'Example Publisher', 'CN="unterminated, C=DK', '=x']) expect(parseDn(bad), bad).toBeNull();
  });

  it('matches a publisher by full DN or by common name; compares subjects field by field', () => {
    expect(publisherMatches(SUBJECT, SUBJECT)).toBe(true);
    expect(publisherMatches('CN=Example Publisher ApS, O=Example Publisher ApS, C=DK', SUBJECT)).toBe(true);
    expect(publisherMatches('Example Publisher ApS', SUBJECT)).toBe(true);
    expect(publisherMatches('CN=Example Publisher ApS, C=SE', SUBJECT)).toBe(false);
    expect(publisherMatches('O=Example Publisher ApS', SUBJECT)).toBe(false);
    expect(publisherMatches('Example Publisher', SUBJECT)).toBe(false);
    expect(publisherMatches('', SUBJECT)).toBe(false);
    expect(sameSubject(SUBJECT, 'C=DK, S=Midtjylland, L=Aarhus, O=Example Publisher ApS, CN=Example Publisher ApS')).toBe(true);
    expect(sameSubject(SUBJECT, 'CN=Example Publisher ApS, O=Example Publisher ApS, L=Odense, S=Syddanmark, C=DK')).toBe(false);
    expect(sameSubject(SUBJECT, 'CN=Example Publisher ApS, O=Example Publisher ApS, C=DK')).toBe(false);
  });
});

describe('windowsUpdateVerifier (fails closed)', () => {
  const file = 'C:\\Users\\x\\AppData\\Local\\clinician-console-updater\\pending\\temp-Setup.exe';
  const approved = { version: '1.3.0', sha512s: new Set([sha('installer')]) };
  const verifier = (overrides: { signature?: AuthenticodeResult | Error; hash?: string; approved?: typeof approved | null; signer?: string }) =>
    windowsUpdateVerifier({
      approved: () => (overrides.approved === undefined ? approved : overrides.approved),
      runningSigner: overrides.signer ?? SUBJECT,
      authenticode: async () => {
        const signature = overrides.signature ?? { status: 'valid', subject: SUBJECT, path: file };
        if (signature instanceof Error) throw signature;
        return signature;
      },
      hashFile: async () => overrides.hash ?? sha('installer'),
    });

  it('accepts the approved file, validly signed by this installation’s signer and publisher', async () => {
    expect(await verifier({})(['Example Publisher ApS'], file)).toBeNull();
    expect(await verifier({})([SUBJECT], file)).toBeNull();
  });

  it.each<[string, Parameters<typeof verifier>[0], string[], RegExp]>([
    ['no approved update', { approved: null }, ['Example Publisher ApS'], /no update was approved/],
    ['a different file', { hash: sha('tampered') }, ['Example Publisher ApS'], /sha512 differs/],
    ['an unsigned installer', { signature: { status: 'not-signed' } }, ['Example Publisher ApS'], /not validly signed \(not-signed\)/],
    ['a broken signature', { signature: { status: 'hash-mismatch', subject: SUBJECT } }, ['Example Publisher ApS'], /hash-mismatch/],
    ['an untrusted chain', { signature: { status: 'not-trusted', subject: SUBJECT } }, ['Example Publisher ApS'], /not-trusted/],
    ['PowerShell failing (and says so without the path)', { signature: Object.assign(new Error("spawn C:\\Users\\testuser\\x ENOENT"), { code: 'ENOENT' }) }, ['Example Publisher ApS'], /^the update could not be verified \(ENOENT\)$/],
    ['an answer about another file', { signature: { status: 'valid', subject: SUBJECT, path: 'C:\\other.exe' } }, ['Example Publisher ApS'], /another file/],
    ['another publisher', { signature: { status: 'valid', subject: 'CN=Other Publisher, O=Other, C=DK' } }, ['Example Publisher ApS'], /another publisher/],
    ['the same CN from another organisation', { signature: { status: 'valid', subject: 'CN=Example Publisher ApS, O=Look Alike Ltd, C=GB' } }, ['Example Publisher ApS'], /not signed by the signer of this installation/],
    ['no publisher names', {}, [], /names no publisher/],
    ['only blank publisher names', {}, ['', ' '], /names no publisher/],
  ])('refuses %s', async (_what, overrides, names, reason) => {
    expect(await verifier(overrides)(names, file)).toMatch(reason);
  });
});

describe('codesign (what codesign -dv prints)', () => {
  it('accepts a Developer ID signature with a team, and nothing else', () => {
    const developerId = [
      'Executable=/Applications/Clinician Console.app/Contents/MacOS/Clinician Console',
      'Identifier=eu.clinicianconsole.app',
      'Format=app bundle with Mach-O universal (x86_64 arm64)',
      'CodeDirectory v=20500 size=1234 flags=0x10000(runtime) hashes=28+7 location=embedded',
      'Signature size=9000',
      'Authority=Developer ID Application: Example Publisher ApS (ABCDE12345)',
      'Authority=Developer ID Certification Authority',
      'Authority=Apple Root CA',
      'TeamIdentifier=ABCDE12345',
    ].join('\n');
    expect(parseCodesignDisplay(developerId)).toEqual({ status: 'developer-id', teamId: 'ABCDE12345', authority: 'Developer ID Application: Example Publisher ApS (ABCDE12345)' });
    expect(parseCodesignDisplay('Executable=/x\nSignature=adhoc\nTeamIdentifier=not set\n')).toMatchObject({ status: 'ad-hoc' });
    expect(parseCodesignDisplay('/Applications/X.app: code object is not signed at all\n')).toMatchObject({ status: 'unsigned' });
    expect(parseCodesignDisplay('Authority=Apple Development: Someone (ZZZZZ99999)\nTeamIdentifier=ZZZZZ99999\n')).toMatchObject({ status: 'not-developer-id' });
    expect(parseCodesignDisplay('Authority=Developer ID Application: X (ABCDE12345)\nTeamIdentifier=not set\n')).toMatchObject({ status: 'not-developer-id' });
  });
});

describe('the installation', () => {
  it('knows whether app-update.yml names a publisher', () => {
    expect(updateConfigFacts(null)).toEqual({ present: false, publisherName: false });
    expect(updateConfigFacts('provider: generic\nurl: https://updates.invalid/\nupdaterCacheDirName: x\n')).toEqual({ present: true, publisherName: false });
    expect(updateConfigFacts('publisherName:\n  - Example Publisher ApS\nprovider: generic\n')).toEqual({ present: true, publisherName: true });
    expect(updateConfigFacts("publisherName: 'CN=Example, C=DK'\r\nprovider: generic\r\n")).toEqual({ present: true, publisherName: true });
    expect(updateConfigFacts("publisherName: ''\nprovider: generic\n")).toEqual({ present: true, publisherName: false });
    expect(updateConfigFacts('publisherName: null\n')).toEqual({ present: true, publisherName: false });
  });

  it('tells an NSIS installation from an MSI one and from a copied folder', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', ProgramW6432: 'C:\\Program Files' };
    const files = new Set(['c:\\users\\x\\appdata\\local\\programs\\clinician-console\\uninstall clinician console.exe']);
    const exists = (path: string) => files.has(path.toLowerCase());
    const kind = (execPath: string) => windowsInstallKind({ execPath, productFilename: 'Clinician Console', exists, env });
    expect(kind('C:\\Users\\x\\AppData\\Local\\Programs\\clinician-console\\Clinician Console.exe')).toBe('nsis');
    expect(kind('C:\\Program Files\\Clinician Console\\Clinician Console.exe')).toBe('msi');
    expect(kind('c:\\program files\\Clinician Console\\Clinician Console.exe')).toBe('msi');
    expect(kind('C:\\Program Files (x86)\\Clinician Console\\Clinician Console.exe')).toBe('msi');
    expect(kind('D:\\Tools\\Clinician Console\\Clinician Console.exe')).toBe('unknown');
    expect(kind('C:\\Program Files Evil\\Clinician Console.exe')).toBe('unknown');
  });
});
