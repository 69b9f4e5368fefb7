/**
 * Permission decisions, deny by default. Plain TypeScript (Electron only as a type): the
 * decision functions take plain inputs, and hardenSession wires them into a Session.
 *
 * Granted, and only on the app origin from a top-level frame of a known window:
 *   media (camera, microphone)  the call window
 *   display-capture             the call window (getDisplayMedia, on a user gesture)
 *   fullscreen                  the call window (a video full screen)
 *   notifications               the main and the call window
 *   clipboard-sanitized-write   the main and the call window ("Copy diagnostics", "Copy
 *                               invitation": writing only, on the user's click; reading stays denied)
 * Everything else (geolocation, midi, clipboard-read, openExternal, hid, serial, usb,
 * idle-detection, ...) is denied, and so are device (HID/serial/USB) permissions and downloads.
 */
import type { DesktopCapturerSource, Session, WebContents, WebFrameMain } from 'electron';
import type { WindowKind } from '../../preload/contract';
import type { Logger } from '../log/logger';
import { isAppUrl } from './app-origin';

export interface PermissionInput {
  permission: string;
  /** The window the request comes from; undefined when the webContents is not one of ours. */
  windowKind: WindowKind | undefined;
  /** The requesting URL or origin. */
  origin: string | undefined;
  details?: {
    /** For a 'media' request: the devices asked for. */
    mediaTypes?: readonly string[];
    /** For a 'media' check: the one device type checked. */
    mediaType?: string;
    isMainFrame?: boolean;
  };
}

const MEDIA_DEVICE_TYPES = new Set(['video', 'audio']);

export function decidePermission(input: PermissionInput): boolean {
  const { permission, windowKind, origin, details = {} } = input;
  if (windowKind === undefined) return false;
  if (!isAppUrl(origin)) return false;
  if (details.isMainFrame === false) return false;

  switch (permission) {
    case 'media': {
      if (windowKind !== 'call') return false;
      if (details.mediaTypes !== undefined) {
        return details.mediaTypes.length > 0 && details.mediaTypes.every((type) => MEDIA_DEVICE_TYPES.has(type));
      }
      if (details.mediaType !== undefined) return MEDIA_DEVICE_TYPES.has(details.mediaType);
      return false;
    }
    case 'display-capture':
    case 'fullscreen':
      return windowKind === 'call';
    case 'notifications':
    case 'clipboard-sanitized-write':
      return windowKind === 'main' || windowKind === 'call';
    default:
      return false;
  }
}

export interface DisplayMediaInput {
  windowKind: WindowKind | undefined;
  origin: string | undefined;
  userGesture: boolean;
  isMainFrame: boolean;
}

/** Screen sharing: only the call window's own page, and only when the user just clicked. */
export function decideDisplayMedia(input: DisplayMediaInput): boolean {
  return (
    input.windowKind === 'call' &&
    input.isMainFrame &&
    input.userGesture &&
    decidePermission({ permission: 'display-capture', windowKind: input.windowKind, origin: input.origin })
  );
}

/** Devices reached through WebHID, Web Serial and WebUSB: never. */
export function decideDevicePermission(): boolean {
  return false;
}

export interface SessionDeps {
  kindOf(webContentsId: number): WindowKind | undefined;
  /** The window kind of the webContents a frame belongs to (webContents.fromFrame). */
  kindOfFrame(frame: WebFrameMain): WindowKind | undefined;
  /**
   * The screen (or window) the user chose in the call window's picker, once a display-media
   * request is allowed (platform/screen-sources.ts). Without it, every request is denied.
   */
  chooseDisplaySource?: () => Promise<DesktopCapturerSource | undefined>;
  log: Logger;
}

export type HardenableSession = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
  | 'on'
>;

export function hardenSession(session: HardenableSession, deps: SessionDeps): void {
  const { kindOf, kindOfFrame, log } = deps;

  session.setPermissionRequestHandler((contents: WebContents, permission, callback, details) => {
    const allowed = decidePermission({
      permission,
      windowKind: kindOf(contents.id),
      origin: details.requestingUrl,
      details: {
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
        isMainFrame: details.isMainFrame,
      },
    });
    if (!allowed) log.warn(`permissions: denied a ${permission} request`);
    callback(allowed);
  });

  session.setPermissionCheckHandler((contents: WebContents | null, permission, requestingOrigin, details) =>
    decidePermission({
      permission,
      windowKind: contents ? kindOf(contents.id) : undefined,
      origin: details.requestingUrl ?? details.securityOrigin ?? requestingOrigin,
      details: { mediaType: details.mediaType, isMainFrame: details.isMainFrame },
    }),
  );

  session.setDevicePermissionHandler(() => decideDevicePermission());

  session.setDisplayMediaRequestHandler((request, callback) => {
    const frame = request.frame;
    const allowed =
      frame !== null &&
      deps.chooseDisplaySource !== undefined &&
      decideDisplayMedia({
        windowKind: kindOfFrame(frame),
        origin: request.securityOrigin,
        userGesture: request.userGesture,
        isMainFrame: frame.parent === null,
      });
    if (!allowed || !deps.chooseDisplaySource) {
      log.warn('permissions: denied a screen-share request');
      callback(null);
      return;
    }
    deps
      .chooseDisplaySource()
      .then((source) => {
        // No fresh choice from the call window's picker: nothing is shared by default.
        if (!source) log.warn('permissions: a screen-share request without a choice in the picker');
        callback(source ? { video: source } : null);
      })
      .catch((error: unknown) => {
        log.warn('permissions: no screen to share', error);
        callback(null);
      });
  });

  session.on('will-download', (event) => {
    event.preventDefault();
    log.warn('session: blocked a download');
  });
}
