/**
 * Call quality per participant from the subscriber connection's getStats, judged between
 * two samples a second apart. "Poor" is what a clinician would notice: freezing video,
 * lost packets, or a long round trip.
 */
/**
 * The fields of a remote stream's stats sample this needs (call-client's MediaStats has them).
 * Declared here, not picked from call-client: the unit tests type-check this without the DOM lib.
 */
export interface StatsSample {
  id: string;
  framesDecoded: number;
  packetsLost: number;
  packetsReceived: number;
  roundTripTime?: number;
  bitrateKbps?: number;
  frameRate?: number;
  audioLevel?: number;
}

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

export function judgeQuality(now: StatsSample, before: StatsSample | undefined): Quality {
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

/** The loudest participant above a floor, or null when nobody speaks. */
export function activeSpeaker(stats: StatsSample[], floor = 0.02): string | null {
  let best: StatsSample | null = null;
  for (const s of stats) if ((s.audioLevel ?? 0) > floor && (!best || (s.audioLevel ?? 0) > (best.audioLevel ?? 0))) best = s;
  return best?.id ?? null;
}
