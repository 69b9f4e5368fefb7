import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { nullLogger } from '../../../main/log/logger';
import { createExternalOpener, isAllowedExternalUrl } from '../../../main/platform/open-external';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x',
    'https://portal.vdx.example/meeting/123',
    'https://127.0.0.1:8443/auth',
    'mailto:it-support@hospital.example',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\nscript:alert(1)',
    ' https://example.com',
    'https://example.com/\u0000',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://console/1234',
    'app://console/index.html',
    'ms-msdt:/id PCWDiagnostic',
    'smb://server/share',
    'vbscript:msgbox',
    'http://example.com/',
    'http://localhost:3000/',
    'https://user:password@example.com/',
    'https://user@example.com/',
    'mailto:',
    'not a url',
    '',
    `https://example.com/${'a'.repeat(5000)}`,
  ])('refuses %j', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ toString: () => 'https://example.com' })).toBe(false);
  });

  it('allows plain http only for exact origins on the allowlist', () => {
    const allowlist = ['http://intranet.hospital.example', 'http://localhost:3000/some/path', 'ftp://nope.example', 'garbage'];
    expect(isAllowedExternalUrl('http://intranet.hospital.example/page', allowlist)).toBe(true);
    expect(isAllowedExternalUrl('http://localhost:3000/x', allowlist)).toBe(true);
    expect(isAllowedExternalUrl('http://localhost:3001/x', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('http://intranet.hospital.example.evil.com/', allowlist)).toBe(false);
    expect(isAllowedExternalUrl('ftp://nope.example/', allowlist)).toBe(false);
  });
});

describe('createExternalOpener', () => {
  it('opens an allowed URL and refuses the rest with a user-facing error, never calling the opener', async () => {
    const opened: string[] = [];
    const opener = createExternalOpener({ open: async (url) => void opened.push(url), log: nullLogger });
    await opener.open('https://example.com/a');
    await expect(opener.open('file:///etc/passwd')).rejects.toBeInstanceOf(UserFacingError);
    await expect(opener.open('javascript:alert(1)')).rejects.toMatchObject({ code: 'forbidden-url' });
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('logs only the scheme of a refused URL', async () => {
    const lines: string[] = [];
    const log = { ...nullLogger, warn: (m: string) => void lines.push(m) };
    const opener = createExternalOpener({ open: async () => {}, log });
    await opener.open('http://intranet.example/patient/jane-doe?pin=1234').catch(() => {});
    expect(lines).toEqual(['openExternal: refused a http: URL']);
  });
});
