/**
 * Screen sharing in the call: the installed app asks with its own picker (main lists the
 * screens and windows; Electron shows none), the browser host's browser asks itself. Where
 * the server has presentation (the client's present(): Pexip), the screen goes out as content
 * beside the camera, and the share ends when the server ends it (someone else presents).
 * Elsewhere the shared screen takes the camera's place in the call; when sharing stops, the
 * camera that was in use comes back (opened again only if it was closed meanwhile).
 */
import type { ScreenSource } from '../common/call-contract';
import type { CallClient } from './call-client';
import { call } from '../../renderer/src/lib/backend';

export interface ScreenShare {
  readonly sharing: boolean;
  /** The console's own picker is open with these sources (installed app). */
  readonly picking: ScreenSource[] | null;
  readonly failed: boolean;
  toggle(): Promise<void>;
  pick(sourceId: string): Promise<void>;
  cancelPick(): void;
}

export function createScreenShare(opts: {
  client: () => CallClient | null;
  local: () => MediaStream | null;
  /** A share is starting: the video must be on (a camera switched off would hide the screen). */
  onstart: () => void;
}): ScreenShare {
  let sharing = $state(false);
  let picking = $state<ScreenSource[] | null>(null);
  let failed = $state(false);
  let screenTrack: MediaStreamTrack | null = null;
  let cameraTrack: MediaStreamTrack | null = null;
  /** Sent as content (present()), not in the camera's place. */
  let asContent = false;
  let offPresenting: (() => void) | undefined;

  async function stop(): Promise<void> {
    screenTrack?.stop();
    screenTrack = null;
    sharing = false;
    offPresenting?.();
    offPresenting = undefined;
    if (asContent) {
      asContent = false;
      await opts.client()?.stopPresenting?.().catch(() => undefined);
      return;
    }
    const camera = cameraTrack;
    cameraTrack = null;
    try {
      const track =
        camera && camera.readyState === 'live'
          ? camera
          : (await navigator.mediaDevices.getUserMedia({ video: camera ? { deviceId: camera.getSettings().deviceId } : true })).getVideoTracks()[0];
      if (track) await opts.client()?.replaceTrack(track);
    } catch {
      failed = true;
    }
  }

  async function start(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) return;
      screenTrack = track;
      // The share ended from the browser's or the OS's own "stop sharing" control.
      track.addEventListener('ended', () => {
        if (screenTrack === track) void stop();
      });
      const client = opts.client();
      if (client?.present) {
        asContent = true;
        // The server ended our presentation (someone else took the floor, or it failed).
        offPresenting = client.on('presenting', (on) => {
          if (!on && screenTrack === track) void stop();
        });
        await client.present(stream);
        sharing = true;
        return;
      }
      cameraTrack = opts.local()?.getVideoTracks()[0] ?? null;
      opts.onstart();
      await client?.replaceTrack(track);
      sharing = true;
    } catch {
      failed = true;
    }
  }

  return {
    get sharing() {
      return sharing;
    },
    get picking() {
      return picking;
    },
    get failed() {
      return failed;
    },
    async toggle() {
      failed = false;
      if (sharing) return stop();
      try {
        const offer = await call('call.shareSources', {});
        if (offer.picker) {
          picking = offer.sources;
          return;
        }
      } catch {
        failed = true;
        return;
      }
      await start();
    },
    async pick(sourceId) {
      picking = null;
      try {
        // Main hands the chosen source to the getDisplayMedia of this same click.
        await call('call.shareChoose', { sourceId });
      } catch {
        failed = true;
        return;
      }
      await start();
    },
    cancelPick() {
      picking = null;
    },
  };
}
