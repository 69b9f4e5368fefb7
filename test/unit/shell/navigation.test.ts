import { beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../main/log/logger';
import { createExternalOpener } from '../../../main/platform/open-external';
import { decideWindowOpen, hardenWebContents, type HardenableContents } from '../../../main/windows/navigation';
import { FakeWebContents, fakeEvent } from './fake-electron';

describe('hardenWebContents', () => {
  let contents: FakeWebContents;
  let opened: string[];

  beforeEach(() => {
    contents = new FakeWebContents();
    opened = [];
    const external = createExternalOpener({ open: async (url) => void opened.push(url), allowedOrigins: ['https://portal.vdx.example'], log: nullLogger });
    hardenWebContents(contents as unknown as HardenableContents, { external, log: nullLogger });
  });

  it('cancels every cross-document navigation, main frame or sub-frame', () => {
    for (const name of ['will-navigate', 'will-frame-navigate']) {
      const event = fakeEvent({ url: 'https://evil.example/', isMainFrame: true, isSameDocument: false });
      expect(contents.emit(name, event, 'https://evil.example/'), name).toBe(true);
      expect(event.defaultPrevented, name).toBe(true);
    }
    const toApp = fakeEvent({ url: 'app://console/call.html', isMainFrame: true, isSameDocument: false });
    contents.emit('will-navigate', toApp, toApp.url);
    expect(toApp.defaultPrevented).toBe(true);
  });

  it('cancels redirects except same-document ones', () => {
    const redirect = fakeEvent({ url: 'https://evil.example/', isSameDocument: false, isMainFrame: true });
    contents.emit('will-redirect', redirect, redirect.url);
    expect(redirect.defaultPrevented).toBe(true);
    const inPage = fakeEvent({ url: 'app://console/index.html#x', isSameDocument: true, isMainFrame: true });
    contents.emit('will-redirect', inPage, inPage.url);
    expect(inPage.defaultPrevented).toBe(false);
  });

  it('refuses to attach a <webview>', () => {
    const event = fakeEvent();
    expect(contents.emit('will-attach-webview', event, {}, {})).toBe(true);
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies window.open and sends an https link to the guarded system browser', async () => {
    expect(contents.windowOpenHandler).toBeDefined();
    const answer = contents.windowOpenHandler!({ url: 'https://portal.vdx.example/help' });
    expect(answer).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://portal.vdx.example/help']);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'app://console/call.html', 'http://evil.example/', 'https://evil.example/', 'smb://host/share'])(
    'denies window.open of %s and opens nothing',
    async (url) => {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
      await Promise.resolve();
      expect(opened).toEqual([]);
    },
  );
});

describe('decideWindowOpen', () => {
  it('always denies; openExternally follows the guard', () => {
    expect(decideWindowOpen('https://x.example', () => true)).toEqual({ response: { action: 'deny' }, openExternally: true });
    expect(decideWindowOpen('https://x.example', () => false)).toEqual({ response: { action: 'deny' }, openExternally: false });
  });
});
