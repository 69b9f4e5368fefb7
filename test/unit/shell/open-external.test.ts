import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { nullLogger } from '../../../main/log/logger';
import { allowedOriginsFrom, checkExternalUrl, createExternalOpener, isAllowedExternalUrl } from '../../../main/platform/open-external';

/** What a hospital's settings would give: the IdP, the patient portal, and IT's extra origins. */
const allowed = allowedOriginsFrom({
  authority: 'https://login.microsoftonline.com/organizations/',
  invitationBaseUrl: 'https://portal.vdx.example/join',
  externalAllowlist: ['http://intranet.hospital.example', 'https://127.0.0.1:8443/auth', 'https://sygehusø.example', 'http://localhost:3000/some/path', 'ftp://nope.example', 'garbage'],
});

describe('allowedOriginsFrom', () => {
  it('takes the origin of the authority, the invitation base and each allowlist entry, and drops the rest', () => {
    expect(allowed).toEqual([
      'https://login.microsoftonline.com',
      'https://portal.vdx.example',
      'http://intranet.hospital.example',
      'https://127.0.0.1:8443',
      'https://xn--sygehus-w1a.example',
      'http://localhost:3000',
    ]);
  });

  it('leaves out an unset invitation base, entries with credentials, and duplicates', () => {
    expect(
      allowedOriginsFrom({
        authority: 'https://idp.example/tenant/',
        invitationBaseUrl: '',
        externalAllowlist: ['https://idp.example/other', 'https://user@portal.example', 'https:\\\\evil.example', 'mailto:x@y.example'],
      }),
    ).toEqual(['https://idp.example']);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x',
    'https://portal.vdx.example/meeting/123',
    'https://127.0.0.1:8443/auth',
    'http://intranet.hospital.example/page',
    'http://localhost:3000/x',
    'https://xn--sygehus-w1a.example/a',
    'https://sygehusø.example/a',
    'mailto:it-support@hospital.example',
    'mailto:it-support@hospital.example?subject=Hello%20there&body=Line%201%0ALine%202',
    'mailto:%C3%A5sa.test@sygehus.example?body=x',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url, allowed)).toBe(true);
  });

  // [url, why it must be refused]
  it.each([
    ['javascript:alert(1)', 'script scheme'],
    ['JavaScript:alert(1)', 'script scheme, any case'],
    ['java\nscript:alert(1)', 'newline the parser would drop'],
    [' https://portal.vdx.example/', 'leading space the parser would trim'],
    ['https://portal.vdx.example/\u0000', 'control character'],
    ['https://portal.vdx.example/\u200b', 'invisible formatting character'],
    ['https://portal.vdx.example/\u202egnp.exe', 'right-to-left override'],
    ['file:///etc/passwd', 'file'],
    ['file://server/share/x.exe', 'file share'],
    ['data:text/html,<script>alert(1)</script>', 'data'],
    ['blob:app://console/1234', 'blob'],
    ['app://console/index.html', 'the app scheme'],
    ['ms-msdt:/id PCWDiagnostic', 'custom scheme'],
    ['search-ms:query=x&crumb=location:\\\\evil.example\\share', 'custom scheme'],
    ['smb://server/share', 'custom scheme'],
    ['vbscript:msgbox', 'custom scheme'],
    ['https://example.com/', 'an https origin nobody listed'],
    ['https://evil.example/login.microsoftonline.com/', 'the allowed host in the path'],
    ['https://login.microsoftonline.com.evil.example/', 'the allowed host as a subdomain of another'],
    ['https://evil-login.microsoftonline.com/', 'a sibling host'],
    ['https://sub.portal.vdx.example/', 'a subdomain of an allowed host'],
    ['http://portal.vdx.example/', 'http for an https origin'],
    ['https://intranet.hospital.example/', 'https for an http origin'],
    ['https://portal.vdx.example:8443/', 'another port'],
    ['https://127.0.0.1:8444/auth', 'another loopback port'],
    ['http://localhost:3001/x', 'another local port'],
    ['https://portal.vdx.example./', 'trailing dot'],
    ['https://user@portal.vdx.example/', 'userinfo'],
    ['https://user:password@portal.vdx.example/', 'credentials'],
    ['https://@portal.vdx.example/', 'empty userinfo'],
    ['https://portal.vdx.example@evil.example/', 'allowed host as userinfo'],
    ['https://portal.vdx.example%40evil.example/', 'encoded @ in the host'],
    ['https:\\\\evil.example', 'backslashes for slashes'],
    ['https://portal.vdx.example\\@evil.example', 'backslash before @'],
    ['https://portal.vdx.example/\\..\\x', 'backslash in the path'],
    ['https://xn--portl-pra.vdx.example/', 'punycode look-alike (portål)'],
    ['https://xn--sygehus-kxa.example/', 'punycode look-alike of a listed IDN (sygehuså)'],
    ['https://pοrtal.vdx.example/', 'Unicode look-alike (Greek omicron)'],
    ['https://lоgin.microsoftonline.com/', 'Unicode look-alike (Cyrillic o)'],
    ['https:portal.vdx.example', 'no slashes'],
    ['https:/portal.vdx.example', 'one slash'],
    ['//portal.vdx.example/', 'scheme-relative'],
    ['mailto:', 'mailto without an address'],
    ['mailto:?to=a@b.example', 'mailto with the address in a parameter'],
    ['mailto:a@b.example,c@d.example', 'mailto to two addresses'],
    ['mailto:a@b.example?cc=c@d.example', 'mailto with cc'],
    ['mailto:a@b.example?bcc=c@d.example', 'mailto with bcc'],
    ['mailto:a@b.example?attach=/etc/passwd', 'mailto with an attachment'],
    ['mailto:a@b.example?subject=a&subject=b', 'mailto with a repeated parameter'],
    ['mailto:a@b.example#x', 'mailto with a fragment'],
    ['mailto:Test%20Person%20<a@b.example>', 'mailto with a display name'],
    ['mailto:a%0A@b.example', 'mailto with an encoded newline'],
    ['mailto:not-an-address', 'mailto without @'],
    ['not a url', 'unparseable'],
    ['', 'empty'],
    [`https://portal.vdx.example/${'a'.repeat(5000)}`, 'too long'],
  ])('refuses %j (%s)', (url) => {
    expect(isAllowedExternalUrl(url, allowed)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isAllowedExternalUrl(undefined, allowed)).toBe(false);
    expect(isAllowedExternalUrl({ toString: () => 'https://portal.vdx.example' }, allowed)).toBe(false);
  });

  it('allows no http(s) URL at all without allowed origins, but still mailto:', () => {
    expect(isAllowedExternalUrl('https://login.microsoftonline.com/x')).toBe(false);
    expect(isAllowedExternalUrl('mailto:it-support@hospital.example')).toBe(true);
  });

  it('lists an IDN origin in Unicode or punycode alike', () => {
    expect(isAllowedExternalUrl('https://xn--sygehus-w1a.example/', ['https://sygehusø.example'])).toBe(true);
    expect(isAllowedExternalUrl('https://sygehusø.example/', ['https://xn--sygehus-w1a.example'])).toBe(true);
    expect(isAllowedExternalUrl('https://xn--sygehus-kxa.example/', ['https://sygehusø.example'])).toBe(false);
  });

  it('says why, for the log', () => {
    expect(checkExternalUrl('https://portål.vdx.example/', allowed)).toEqual({ allowed: false, reason: 'punycode host not allowed' });
    expect(checkExternalUrl('https://user@portal.vdx.example/', allowed)).toEqual({ allowed: false, reason: 'credentials' });
    expect(checkExternalUrl('https://portal.vdx.example/a', allowed)).toMatchObject({ allowed: true });
  });
});

describe('createExternalOpener', () => {
  it('opens an allowed URL and refuses the rest with a user-facing error, never calling the opener', async () => {
    const opened: string[] = [];
    const opener = createExternalOpener({ open: async (url) => void opened.push(url), allowedOrigins: allowed, log: nullLogger });
    await opener.open('https://portal.vdx.example/a');
    await expect(opener.open('https://example.com/a')).rejects.toBeInstanceOf(UserFacingError);
    await expect(opener.open('file:///etc/passwd')).rejects.toBeInstanceOf(UserFacingError);
    await expect(opener.open('javascript:alert(1)')).rejects.toMatchObject({ code: 'forbidden-url' });
    expect(opened).toEqual(['https://portal.vdx.example/a']);
  });

  it('opens the parsed href, not the string it was given', async () => {
    const opened: string[] = [];
    const opener = createExternalOpener({ open: async (url) => void opened.push(url), allowedOrigins: ['https://idp.example'], log: nullLogger });
    await opener.open('HTTPS://IdP.example/x');
    await opener.open('https://idp.example:443/a/../b?q=a b'.replace(' ', '%20'));
    await opener.open('https://idp.example/ä?x=ö');
    await opener.open('mailto:it-support@hospital.example?subject=Hej%20du');
    expect(opened).toEqual(['https://idp.example/x', 'https://idp.example/b?q=a%20b', 'https://idp.example/%C3%A4?x=%C3%B6', 'mailto:it-support@hospital.example?subject=Hej%20du']);
  });

  it('still accepts the former allowlist option, as more allowed origins', async () => {
    const opened: string[] = [];
    const opener = createExternalOpener({ open: async (url) => void opened.push(url), allowlist: ['http://intranet.hospital.example'], allowedOrigins: ['https://idp.example'], log: nullLogger });
    expect(opener.isAllowed('http://intranet.hospital.example/a')).toBe(true);
    expect(opener.isAllowed('https://idp.example/a')).toBe(true);
    expect(opener.isAllowed('https://portal.vdx.example/a')).toBe(false);
    const legacy = createExternalOpener({ open: async () => {}, allowlist: ['http://intranet.hospital.example'], log: nullLogger });
    expect(legacy.isAllowed('https://login.microsoftonline.com/x')).toBe(false);
    expect(legacy.isAllowed('http://intranet.hospital.example/a')).toBe(true);
  });

  it('logs only the scheme and the reason of a refused URL', async () => {
    const lines: string[] = [];
    const log = { ...nullLogger, warn: (m: string) => void lines.push(m) };
    const opener = createExternalOpener({ open: async () => {}, allowedOrigins: allowed, log });
    await opener.open('http://intranet.example/patient/test-patient?pin=1234').catch(() => {});
    await opener.open('https://testuser@portal.vdx.example/').catch(() => {});
    expect(lines).toEqual(['openExternal: refused a http: URL (origin not allowed)', 'openExternal: refused a https: URL (credentials)']);
  });
});
