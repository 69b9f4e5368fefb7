/**
 * The console's own screen-share picker, for Electron (which has no picker of its own):
 *
 *   1. The call window asks for the screens and windows (`list`, thumbnails included) and
 *      shows them in its dialog.
 *   2. The user picks one: the call window says which (`choose`), then calls getDisplayMedia
 *      from that same click.
 *   3. The session's display-media handler takes the choice (`take`) and hands Electron that
 *      source. A choice is good once, and only for a few seconds, so a later getDisplayMedia
 *      can never reuse an old choice silently.
 *
 * Plain TypeScript: desktopCapturer.getSources comes in as a function (Electron's type only),
 * so this is unit-tested without Electron. Source names are window titles, which can name a
 * patient (a record open in another program): they go to the call window and nowhere else,
 * never into a log or an error.
 */
import type { DesktopCapturerSource, SourcesOptions } from 'electron';
import { UserFacingError } from '../core/errors';

export interface ScreenSource {
  /** desktopCapturer's id: `screen:…` or `window:…`. */
  id: string;
  name: string;
  kind: 'screen' | 'window';
  /** A small JPEG as a data: URL; empty when the OS gave no thumbnail (a minimised window). */
  thumbnail: string;
}

export interface ScreenSources {
  list(): Promise<ScreenSource[]>;
  choose(id: string): void;
  /** The source the user just chose, once; undefined when there is none or it is too old. */
  take(): DesktopCapturerSource | undefined;
}

/** How long a choice waits for its getDisplayMedia (one IPC round trip in practice). */
export const CHOICE_TTL_MS = 10_000;
export const THUMBNAIL_SIZE = { width: 320, height: 180 };

export function createScreenSources(
  getSources: (options: SourcesOptions) => Promise<DesktopCapturerSource[]>,
  now: () => number = Date.now,
): ScreenSources {
  let offered = new Map<string, DesktopCapturerSource>();
  let chosen: { id: string; at: number } | null = null;

  return {
    async list() {
      const sources = await getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL_SIZE, fetchWindowIcons: false });
      offered = new Map(sources.map((s) => [s.id, s]));
      chosen = null;
      // Screens first: sharing a whole screen is what a clinician usually means.
      return sources
        .map((s) => ({
          id: s.id,
          name: s.name,
          kind: s.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
          thumbnail: s.thumbnail.isEmpty() ? '' : `data:image/jpeg;base64,${s.thumbnail.toJPEG(70).toString('base64')}`,
        }))
        .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'screen' ? -1 : 1));
    },
    choose(id) {
      if (!offered.has(id)) {
        throw new UserFacingError('share-source-gone');
      }
      chosen = { id, at: now() };
    },
    take() {
      const c = chosen;
      chosen = null;
      if (!c || now() - c.at > CHOICE_TTL_MS) return undefined;
      return offered.get(c.id);
    },
  };
}
