import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../main/log/logger';
import { decideDisplayMedia, decidePermission, hardenSession, type HardenableSession } from '../../../main/windows/security';
import type { WindowKind } from '../../../preload/contract';
import { FakeSession, fakeEvent, fakeFrame, type FakeFrame } from './fake-electron';

const APP_MAIN = 'app://console/index.html';
const APP_CALL = 'app://console/call.html';

describe('decidePermission', () => {
  const media = (windowKind: WindowKind | undefined, origin = APP_CALL, mediaTypes: string[] = ['video', 'audio']) =>
    decidePermission({ permission: 'media', windowKind, origin, details: { mediaTypes, isMainFrame: true } });

  it('grants camera and microphone to the call window on the app origin', () => {
    expect(media('call')).toBe(true);
    expect(media('call', APP_CALL, ['audio'])).toBe(true);
  });

  it('denies camera and microphone to the main window', () => {
    expect(media('main', APP_MAIN)).toBe(false);
  });

  it('denies media to an unknown webContents, another origin, a sub-frame or odd media types', () => {
    expect(media(undefined)).toBe(false);
    expect(media('call', 'https://evil.example/')).toBe(false);
    expect(media('call', 'app://evil/call.html')).toBe(false);
    expect(media('call', APP_CALL, [])).toBe(false);
    expect(media('call', APP_CALL, ['video', 'screen'])).toBe(false);
    expect(
      decidePermission({ permission: 'media', windowKind: 'call', origin: APP_CALL, details: { mediaTypes: ['video'], isMainFrame: false } }),
    ).toBe(false);
    expect(decidePermission({ permission: 'media', windowKind: 'call', origin: APP_CALL })).toBe(false);
  });

  it('answers media permission checks per device type', () => {
    const check = (mediaType: string) =>
      decidePermission({ permission: 'media', windowKind: 'call', origin: APP_CALL, details: { mediaType, isMainFrame: true } });
    expect(check('video')).toBe(true);
    expect(check('audio')).toBe(true);
    expect(check('unknown')).toBe(false);
  });

  it('grants screen capture and fullscreen to the call window only', () => {
    for (const permission of ['display-capture', 'fullscreen']) {
      expect(decidePermission({ permission, windowKind: 'call', origin: APP_CALL }), permission).toBe(true);
      expect(decidePermission({ permission, windowKind: 'main', origin: APP_MAIN }), permission).toBe(false);
    }
  });

  it('lets both windows write (never read) the clipboard, on the app origin only', () => {
    expect(decidePermission({ permission: 'clipboard-sanitized-write', windowKind: 'main', origin: APP_MAIN })).toBe(true);
    expect(decidePermission({ permission: 'clipboard-sanitized-write', windowKind: 'call', origin: APP_CALL })).toBe(true);
    expect(decidePermission({ permission: 'clipboard-sanitized-write', windowKind: 'main', origin: 'https://evil.example' })).toBe(false);
    expect(decidePermission({ permission: 'clipboard-sanitized-write', windowKind: undefined, origin: APP_MAIN })).toBe(false);
    expect(decidePermission({ permission: 'clipboard-read', windowKind: 'main', origin: APP_MAIN })).toBe(false);
  });

  it('grants notifications to both windows on the app origin only', () => {
    expect(decidePermission({ permission: 'notifications', windowKind: 'main', origin: APP_MAIN })).toBe(true);
    expect(decidePermission({ permission: 'notifications', windowKind: 'call', origin: APP_CALL })).toBe(true);
    expect(decidePermission({ permission: 'notifications', windowKind: 'main', origin: 'https://evil.example' })).toBe(false);
  });

  it.each([
    'geolocation',
    'midi',
    'midiSysex',
    'openExternal',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'idle-detection',
    'pointerLock',
    'keyboardLock',
    'mediaKeySystem',
    'window-management',
    'local-fonts',
    'storage-access',
    'fileSystem',
    'unknown',
    'something-new',
  ])('denies %s in every window', (permission) => {
    for (const [windowKind, origin] of [
      ['main', APP_MAIN],
      ['call', APP_CALL],
    ] as const) {
      expect(decidePermission({ permission, windowKind, origin, details: { isMainFrame: true } })).toBe(false);
    }
  });
});

describe('decideDisplayMedia', () => {
  const base = { windowKind: 'call' as const, origin: 'app://console', userGesture: true, isMainFrame: true };
  it('allows the call window on a user gesture only', () => {
    expect(decideDisplayMedia(base)).toBe(true);
    expect(decideDisplayMedia({ ...base, userGesture: false })).toBe(false);
    expect(decideDisplayMedia({ ...base, windowKind: 'main' })).toBe(false);
    expect(decideDisplayMedia({ ...base, isMainFrame: false })).toBe(false);
    expect(decideDisplayMedia({ ...base, origin: 'https://evil.example' })).toBe(false);
  });
});

describe('hardenSession (Electron wiring)', () => {
  const ids: Record<number, WindowKind> = { 1: 'main', 2: 'call' };
  const callFrame = fakeFrame(APP_CALL);
  const mainFrame = fakeFrame(APP_MAIN);
  const source = { id: 'screen:1:0', name: 'Screen' };
  const session = new FakeSession();
  hardenSession(session as unknown as HardenableSession, {
    kindOf: (id) => ids[id],
    kindOfFrame: (frame) => ((frame as unknown as FakeFrame) === callFrame ? 'call' : (frame as unknown as FakeFrame) === mainFrame ? 'main' : undefined),
    chooseDisplaySource: async () => source as never,
    log: nullLogger,
  });

  const request = (webContentsId: number, permission: string, details: object) =>
    new Promise<boolean>((resolve) => session.permissionRequestHandler!({ id: webContentsId }, permission, resolve, details));

  it('installs all four handlers', () => {
    expect(session.permissionRequestHandler).toBeTypeOf('function');
    expect(session.permissionCheckHandler).toBeTypeOf('function');
    expect(session.devicePermissionHandler).toBeTypeOf('function');
    expect(session.displayMediaRequestHandler).toBeTypeOf('function');
  });

  it('requests: media for the call window yes, for the main window no, geolocation never', async () => {
    const details = { requestingUrl: APP_CALL, isMainFrame: true, mediaTypes: ['video', 'audio'] };
    expect(await request(2, 'media', details)).toBe(true);
    expect(await request(1, 'media', { ...details, requestingUrl: APP_MAIN })).toBe(false);
    expect(await request(99, 'media', details)).toBe(false);
    expect(await request(2, 'geolocation', { requestingUrl: APP_CALL, isMainFrame: true })).toBe(false);
  });

  it('checks: null webContents and unknown windows are denied', () => {
    const check = session.permissionCheckHandler!;
    expect(check({ id: 2 }, 'media', 'app://console', { requestingUrl: APP_CALL, isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(check({ id: 1 }, 'media', 'app://console', { requestingUrl: APP_MAIN, isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(check(null, 'notifications', 'app://console', { isMainFrame: true })).toBe(false);
    expect(check({ id: 2 }, 'clipboard-read', 'app://console', { requestingUrl: APP_CALL, isMainFrame: true })).toBe(false);
  });

  it('devices (HID, serial, USB) are always denied', () => {
    expect(session.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://console' })).toBe(false);
    expect(session.devicePermissionHandler!({ deviceType: 'hid', origin: 'app://console' })).toBe(false);
  });

  it('screen share: the call window on a user gesture gets the chosen screen; others get nothing', async () => {
    const ask = (frame: FakeFrame | null, userGesture: boolean) =>
      new Promise<unknown>((resolve) =>
        session.displayMediaRequestHandler!({ frame, securityOrigin: 'app://console', userGesture, videoRequested: true, audioRequested: false }, resolve),
      );
    expect(await ask(callFrame, true)).toEqual({ video: source });
    expect(await ask(callFrame, false)).toBeNull();
    expect(await ask(mainFrame, true)).toBeNull();
    expect(await ask(null, true)).toBeNull();
  });

  it('downloads are cancelled', () => {
    const event = fakeEvent();
    session.emit('will-download', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});
