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
