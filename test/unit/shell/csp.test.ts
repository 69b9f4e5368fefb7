import { describe, expect, it } from 'vitest';
import { buildCsp, conferenceOriginsOf, parseCsp, toConnectOrigin } from '../../../main/windows/csp';

describe('buildCsp', () => {
  const policy = buildCsp({ conferenceOrigins: ['wss://janus.hospital.example:8989'] });
  const csp = parseCsp(policy);

  it('allows scripts from the app only: no eval, no inline', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).not.toContain("'unsafe-inline'");
    expect(policy).not.toContain("'wasm-unsafe-eval'");
  });

  it('allows styles from the app only', () => {
    expect(csp.get('style-src')).toEqual(["'self'"]);
  });

  it('denies by default and closes every door a page could use', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    for (const directive of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors', 'worker-src']) {
      expect(csp.get(directive), directive).toEqual(["'none'"]);
    }
  });

  it('lets the call window reach the conference server and nothing else', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", 'wss://janus.hospital.example:8989']);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('connect-src is only self when no conference server is set', () => {
    expect(parseCsp(buildCsp({ conferenceOrigins: [] })).get('connect-src')).toEqual(["'self'"]);
  });

  it('reduces a server URL to its origin and refuses anything that could widen the policy', () => {
    const janus = (url: string) => ({ domain: 'video.example', provider: 'janus' as const, url, guardUrl: 'https://guard.example' });
    const pexip = (url: string) => ({ domain: 'vmr.example', provider: 'pexip' as const, url });
    // The guard is reached by main, never by the window: it is not in the window's policy.
    expect(conferenceOriginsOf([janus('ws://127.0.0.1:8188/janus')])).toEqual(['ws://127.0.0.1:8188']);
    expect(conferenceOriginsOf([pexip('https://pexip.example/'), janus('wss://janus.example/janus'), pexip('https://pexip.example')])).toEqual([
      'https://pexip.example',
      'wss://janus.example',
    ]);
    expect(conferenceOriginsOf([])).toEqual([]);
    expect(() => toConnectOrigin('wss://x.example; script-src *')).toThrow();
    expect(() => toConnectOrigin('*')).toThrow();
    expect(() => toConnectOrigin("'unsafe-inline'")).toThrow();
    expect(() => toConnectOrigin('javascript:alert(1)')).toThrow(/scheme/);
    expect(() => toConnectOrigin('wss://user:pw@janus.example')).toThrow(/credentials/);
    expect(() => buildCsp({ conferenceOrigins: ['data:text/plain,x'] })).toThrow();
  });

  it('a URL with a path in conferenceOrigins is reduced to its origin (as the browser host passes it)', () => {
    const connect = parseCsp(buildCsp({ conferenceOrigins: ['ws://127.0.0.1:8188/janus'] })).get('connect-src');
    expect(connect).toEqual(["'self'", 'ws://127.0.0.1:8188']);
  });
});
