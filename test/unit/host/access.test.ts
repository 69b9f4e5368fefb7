/**
 * The browser host's access rules (host/access.ts), on plain request headers: a window is
 * only what its credential header says, never a cookie (cookies for 127.0.0.1 reach every
 * port of it, whoever listens there).
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHostAccess, CREDENTIAL_HEADER } from '../../../host/access';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const launchSecretOf = (url: string) => new URL(url).hash.replace('#k=', '');

describe('browser host access', () => {
  it('exchanges the launch secret once, for a main window credential that works only in its header', () => {
    const access = createHostAccess(40123);
    const secret = launchSecretOf(access.launchUrl);
    expect(access.exchange('not-the-secret')).toBeNull();
    const credential = access.exchange(secret);
    expect(credential).toEqual(expect.any(String));
    expect(access.exchange(secret)).toBeNull();

    expect(access.windowOf(request({ [CREDENTIAL_HEADER]: credential! }))).toEqual({ credential, kind: 'main' });
    // What a browser sends by itself, to this port or any other: nothing.
    expect(access.windowOf(request({ cookie: `cc_host_40123=${credential}` }))).toBeNull();
    expect(access.windowOf(request({ cookie: `${CREDENTIAL_HEADER}=${credential}`, authorization: `Bearer ${credential}` }))).toBeNull();
    expect(access.windowOf(request({ [CREDENTIAL_HEADER]: 'made-up' }))).toBeNull();
  });

  it('a call ticket buys one call window credential; ending the call revokes it and every unused ticket, not main', () => {
    const access = createHostAccess(40124);
    const main = access.exchange(launchSecretOf(access.launchUrl))!;
    const ticket = access.newCallTicket();
    const unused = access.newCallTicket();
    expect(access.redeemCallTicket('guessed')).toBeNull();
    const call = access.redeemCallTicket(ticket)!;
    expect(access.redeemCallTicket(ticket)).toBeNull();
    expect(access.windowOf(request({ [CREDENTIAL_HEADER]: call }))).toEqual({ credential: call, kind: 'call' });
    expect(access.isLive(call, 'call')).toBe(true);
    expect(access.isLive(call, 'main')).toBe(false);

    expect(access.endCallWindows()).toEqual([call]);
    expect(access.isLive(call, 'call')).toBe(false);
    expect(access.windowOf(request({ [CREDENTIAL_HEADER]: call }))).toBeNull();
    expect(access.redeemCallTicket(unused)).toBeNull();
    expect(access.isLive(main, 'main')).toBe(true);
  });

  it('Host and Origin must name the printed address; the control secret only as a bearer', () => {
    const access = createHostAccess(40125);
    expect(access.hostAllowed(request({ host: '127.0.0.1:40125' }))).toBe(true);
    expect(access.hostAllowed(request({ host: 'localhost:40125' }))).toBe(false);
    expect(access.hostAllowed(request({ host: '127.0.0.1:40126' }))).toBe(false);
    expect(access.originAllowed(request({ origin: 'http://127.0.0.1:40125' }))).toBe(true);
    expect(access.originAllowed(request({ origin: 'http://127.0.0.1:40126' }))).toBe(false);
    expect(access.isControl(request({ authorization: `Bearer ${access.controlSecret}` }))).toBe(true);
    expect(access.isControl(request({ cookie: `control=${access.controlSecret}` }))).toBe(false);
  });
});
