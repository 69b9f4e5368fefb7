/**
 * Just enough of the VP8 RTP payload format (RFC 7741) to find where a keyframe starts:
 * after a source switch the relay holds the new source's video back until then, so the
 * receiver never decodes the new source's delta frames on top of the old picture.
 */

/** First packet of a VP8 keyframe: start of partition 0 (S=1, PID=0) and P=0 in the frame header. */
export function isVp8KeyframeStart(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const first = payload[0] ?? 0;
  if (!(first & 0x10) || (first & 0x07) !== 0) return false;
  let i = 1;
  if (first & 0x80) {
    const x = payload[1] ?? 0;
    i = 2;
    if (x & 0x80) i += (payload[i] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (x & 0x40) i += 1; // TL0PICIDX
    if (x & 0x30) i += 1; // TID / KEYIDX
  }
  return i < payload.length && ((payload[i] ?? 1) & 0x01) === 0;
}
