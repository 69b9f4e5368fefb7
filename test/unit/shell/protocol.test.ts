import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, resolveAppRequest } from '../../../main/windows/protocol';
import { buildCsp } from '../../../main/windows/csp';
import { nullLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
const fake = await import('./fake-electron');
const { handleAppProtocol, registerAppScheme } = await import('../../../main/windows/register-protocol');

const root = tempDir('cc-renderer-');
beforeAll(() => {
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>main</title>');
  writeFileSync(join(root, 'call.html'), '<!doctype html><title>call</title>');
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(join(tmpdir(), 'cc-outside-secret.txt'), 'secret');
});

describe('resolveAppRequest', () => {
  it('serves index.html for the root, with the CSP, nosniff and the right type', () => {
    const answer = resolveAppRequest('GET', 'app://console/', root, { csp: 'default-src x' });
    expect(answer.status).toBe(200);
    expect(answer.filePath).toBe(join(root, 'index.html'));
    expect(answer.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['Content-Security-Policy']).toBe('default-src x');
    expect(answer.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('uses the default strict policy when none is given', () => {
    const answer = resolveAppRequest('GET', 'app://console/index.html', root);
    expect(answer.headers['Content-Security-Policy']).toBe(buildCsp({ conferenceOrigins: [] }));
  });

  it('maps assets to their content types and ignores query and hash', () => {
    const js = resolveAppRequest('GET', 'app://console/assets/app-1a2b.js?v=1#x', root);
    expect(js.status).toBe(200);
    expect(js.filePath).toBe(join(root, 'assets', 'app-1a2b.js'));
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(resolveAppRequest('GET', 'app://console/assets/app-1a2b.css', root).headers['Content-Type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('lets only the call page ask for camera, microphone and screen', () => {
    const call = resolveAppRequest('GET', 'app://console/call.html', root);
    const main = resolveAppRequest('GET', 'app://console/index.html', root);
    expect(call.headers['Permissions-Policy']).toContain('camera=(self)');
    expect(call.headers['Permissions-Policy']).toContain('display-capture=(self)');
    expect(main.headers['Permissions-Policy']).toContain('camera=()');
    expect(main.headers['Permissions-Policy']).toContain('microphone=()');
  });

  it.each([
    'app://console/../cc-outside-secret.txt',
    'app://console/assets/../../cc-outside-secret.txt',
    'app://console/%2e%2e/cc-outside-secret.txt',
    'app://console/%2E%2E/%2e%2e/etc/passwd',
    'app://console/assets/..%2f..%2fcc-outside-secret.txt',
    'app://console/assets/%2e%2e%2f%2e%2e%2fcc-outside-secret.txt',
    'app://console/..%5c..%5ccc-outside-secret.txt',
    'app://console/..\\..\\cc-outside-secret.txt',
    'app://console/./index.html',
    'app://console/C:/Windows/win.ini',
    'app://console/index.html%00.js',
    'app://console/%E0%A4%A',
  ])('refuses traversal and malformed paths: %s', (url) => {
    const answer = resolveAppRequest('GET', url, root);
    expect(answer.status).toBe(400);
    expect(answer.filePath).toBeUndefined();
    expect(answer.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it.each(['app://evil/index.html', 'app://console.evil.example/index.html', 'app://console:8080/index.html', 'app://user@console/index.html', 'https://console/index.html'])(
    'refuses another host or scheme: %s',
    (url) => {
      const answer = resolveAppRequest('GET', url, root);
      expect(answer.status).toBe(403);
      expect(answer.filePath).toBeUndefined();
    },
  );

  it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'])('refuses %s', (method) => {
    const answer = resolveAppRequest(method, 'app://console/index.html', root);
    expect(answer.status).toBe(405);
    expect(answer.headers.Allow).toBe('GET');
  });

  it('refuses file types it does not know', () => {
    expect(resolveAppRequest('GET', 'app://console/etc/passwd', root).status).toBe(404);
    expect(resolveAppRequest('GET', 'app://console/app.exe', root).status).toBe(404);
  });

  it('refuses a relative root', () => {
    expect(resolveAppRequest('GET', 'app://console/index.html', 'out/renderer').status).toBe(404);
  });
});

describe('the app scheme', () => {
  it('is standard and secure, with fetch, but does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBe(false);
    expect(APP_SCHEME_PRIVILEGES.privileges?.allowServiceWorkers).toBe(false);
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBe(false);
  });

  it('registerAppScheme registers exactly that scheme as privileged', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([APP_SCHEME_PRIVILEGES]);
  });
});

describe('handleAppProtocol (Electron wiring)', () => {
  handleAppProtocol({ rootDir: root, csp: "default-src 'none'", log: nullLogger });
  const handler = fake.protocol.handlers.get('app')!;

  it('answers with the file and the security headers', async () => {
    const response = await handler({ method: 'GET', url: 'app://console/assets/app-1a2b.js' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers a traversal with 400 and no body', async () => {
    const response = await handler({ method: 'GET', url: 'app://console/%2e%2e/cc-outside-secret.txt' });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('');
  });

  it('answers a missing file with 404', async () => {
    const response = await handler({ method: 'GET', url: 'app://console/assets/missing.js' });
    expect(response.status).toBe(404);
  });
});
