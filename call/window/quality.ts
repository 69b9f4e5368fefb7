/**
 * Call quality per participant from the subscriber connection's getStats, judged between
 * two samples a second apart. "Poor" is what a clinician would notice: freezing video,
 * lost packets, or a long round trip.
 */
// The one DOM-free media-stats shape, so the unit tests type-check this without the DOM lib.
import type { MediaStats } from '../common/media-stats';

export interface Quality {
  poor: boolean;
  /** Packets lost since the previous sample. */
  lost: number;
  rttMs?: number;
  kbps?: number;
  fps?: number;
}

export const POOR_RTT_MS = 400;
export const POOR_LOST_PER_SECOND = 15;
export const POOR_FPS = 5;

export function judgeQuality(now: MediaStats, before: MediaStats | undefined): Quality {
  const lost = before ? Math.max(0, now.packetsLost - before.packetsLost) : 0;
  const rttMs = now.roundTripTime !== undefined ? Math.round(now.roundTripTime * 1000) : undefined;
  const kbps = now.bitrateKbps !== undefined ? Math.round(now.bitrateKbps) : undefined;
  const fps = now.frameRate;
  // Choppy video: frames trickle in while packets still arrive. A participant with the camera
  // off (or muted by the host) sends no video packets at all, and is not "poor".
  const arriving = before !== undefined && now.packetsReceived > before.packetsReceived;
  const frozen = arriving && now.framesDecoded > 0 && fps !== undefined && fps < POOR_FPS;
  const poor = lost > POOR_LOST_PER_SECOND || (rttMs !== undefined && rttMs > POOR_RTT_MS) || frozen;
  return { poor, lost, ...(rttMs !== undefined ? { rttMs } : {}), ...(kbps !== undefined ? { kbps } : {}), ...(fps !== undefined ? { fps } : {}) };
}

/**
 * How loud a participant was since the previous sample (0..1, root mean square).
 * Why not `audioLevel`: that is the level of the last few milliseconds, and sampled once a second
 * it can keep landing in the pauses between words (or between the beeps of a test microphone,
 * which also come once a second) and never see the speech at all. The running energy sums cover
 * every sample in between. Without two samples with those sums, the instantaneous level is all there is.
 */
export function speechLevel(now: MediaStats, before: MediaStats | undefined): number {
  const energy = (now.totalAudioEnergy ?? NaN) - (before?.totalAudioEnergy ?? NaN);
  const seconds = (now.totalSamplesDuration ?? NaN) - (before?.totalSamplesDuration ?? NaN);
  if (seconds > 0 && energy >= 0) return Math.sqrt(energy / seconds);
  return now.audioLevel ?? 0;
}

/** The loudest participant since the previous sample, above a floor; null when nobody speaks. */
export function activeSpeaker(stats: MediaStats[], previous: Record<string, MediaStats | undefined> = {}, floor = 0.02): string | null {
  let best: { id: string; level: number } | null = null;
  for (const s of stats) {
    const level = speechLevel(s, previous[s.id]);
    if (level > floor && (!best || level > best.level)) best = { id: s.id, level };
  }
  return best?.id ?? null;
}
