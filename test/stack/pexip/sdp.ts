/**
 * SDP touch-ups between werift and Chromium.
 *
 * werift answers an offered-inactive m-line (the `a=content:slides` presentation line that
 * @pexip/infinity adds for presentation call types) with port 0, which rejects it: Chromium
 * then stops that transceiver and a later `present()` fails ("Cannot find respective
 * Transceiver with mid:2"). Pexip keeps the line, inactive; so does the double, by giving
 * such lines the discard port 9.
 */
export function keepRejectedMLines(sdp: string): string {
  return sdp.replace(/^m=(audio|video) 0 /gm, 'm=$1 9 ');
}

/** ICE candidates must stay on loopback: test traffic never leaves 127.0.0.0/8. */
export function isLoopback(host: string | undefined): boolean {
  return typeof host === 'string' && host.startsWith('127.');
}

/**
 * Marks the answer's presentation m-lines as the offer marked them (`a=content:slides`).
 * werift writes no content attribute; @pexip/peer-connection matches each remote m-line to
 * its transceiver config by `content` (a line without one counts as `main`) and skips a
 * mismatched line when it syncs directions, so `present()` would never renegotiate. A real
 * node answers the slides line as slides [inferred from that matching in @pexip/peer-connection
 * 's syncMedia, and from RFC 4796, which Pexip's SIP/H.323 presentation follows].
 */
export function markSlides(offer: string, answer: string): string {
  const slides = sections(offer).map((s) => /^a=content:slides\r?$/m.test(s));
  const parts = sections(answer);
  return parts
    .map((s, i) => {
      if (i === 0 || !slides[i] || /^a=content:/m.test(s)) return s;
      const eol = s.includes('\r\n') ? '\r\n' : '\n';
      return s.endsWith(eol) ? `${s}a=content:slides${eol}` : `${s}${eol}a=content:slides${eol}`;
    })
    .join('');
}

/**
 * What a participant's call carries, from its offer, as Pexip reports it in
 * `is_audio_only_call` / `is_video_call`: `video` when a main (not slides) video line is
 * offered with media, `audio` when only audio is, `api` when neither (a control-only call).
 * [Inferred: Pexip's docs name the two flags; @pexip/infinity's normalizeParticipant reads
 * them as audio, video or api, and an audio-only call type offers no main video line.]
 */
export function offeredCallType(offer: string): 'api' | 'audio' | 'video' {
  const media = sections(offer)
    .slice(1)
    .filter((s) => !/^m=\w+ 0 /.test(s) && !/^a=inactive\r?$/m.test(s) && !/^a=content:slides\r?$/m.test(s));
  if (media.some((s) => s.startsWith('m=video'))) return 'video';
  return media.some((s) => s.startsWith('m=audio')) ? 'audio' : 'api';
}

/** The session part, then one string per m-section (each with its own line ends). */
function sections(sdp: string): string[] {
  return sdp.split(/(?=^m=)/m);
}
