/**
 * Timings of this call window for the benchmark (`npm run bench`): milliseconds since the
 * window opened (performance.now()) when the room was joined and when the first remote video
 * frame was shown. Numbers only, nothing personal.
 */
export interface CallTimings {
  /** The window's code ran and asked main for the ticket. */
  startAt?: number;
  /** Camera and microphone open. */
  mediaAt?: number;
  /** Main answered what to join with. */
  preparedAt?: number;
  joinedAt?: number;
  firstRemoteFrameAt?: number;
}

declare global {
  interface Window {
    callTimings?: CallTimings;
  }
}

export function markTiming(key: keyof CallTimings): void {
  window.callTimings ??= {};
  window.callTimings[key] ??= performance.now();
}

/** Svelte action: marks the first frame a remote <video> presents. */
export function firstFrame(node: HTMLVideoElement) {
  if (window.callTimings?.firstRemoteFrameAt === undefined) {
    node.requestVideoFrameCallback(() => markTiming('firstRemoteFrameAt'));
  }
}
