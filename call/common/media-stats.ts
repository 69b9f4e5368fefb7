/**
 * Inbound media of one remote stream since the call began, as the call window reads it from
 * getStats: plain numbers, no DOM types, so the clients, the window's quality judgement, the
 * test guest page and unit tests all speak this one shape.
 */
export interface MediaStats {
  /** The stream's participant: a Janus feed id, or Pexip's one stage stream. */
  id: string;
  framesDecoded: number;
  packetsLost: number;
  packetsReceived: number;
  /** Seconds, from the selected ICE candidate pair (the same for every stream of one connection). */
  roundTripTime?: number;
  /** Since the previous read. */
  bitrateKbps?: number;
  frameRate?: number;
  frameWidth?: number;
  frameHeight?: number;
  /** The stream's inbound audio, from the same connection. */
  audioBytesReceived?: number;
  /** 0..1, the current level of that stream's audio (active speaker). */
  audioLevel?: number;
  /** getStats' running sums for that audio: level² × seconds, and seconds (the level over an interval). */
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
  audioPacketsLost?: number;
}
