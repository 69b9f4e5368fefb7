/**
 * What the device and connection check concludes, kept apart from the DOM so the unit tests
 * run it under Node: why a camera or microphone could not be opened (from getUserMedia's
 * error name), and whether a microphone that opened is heard at all.
 */
export type MediaProblem = 'denied' | 'missing' | 'busy' | 'failed';

/** getUserMedia's DOMException names (Chromium's, which Electron shares). */
export function mediaProblemOf(error: unknown): MediaProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

/** A level (0..1) above this is sound rather than the hiss of a live but quiet microphone. */
export const HEARD_LEVEL = 0.02;

/** The meter's level from a block of samples (-1..1): their RMS, scaled so speech fills the bar. */
export function levelOf(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] ?? 0) ** 2;
  const rms = Math.sqrt(sum / samples.length);
  return Math.min(1, Math.round(rms * 400) / 100);
}
