/**
 * The call window's half of the device and connection check before joining (main checks that
 * the conference server answers): the microphone's level, a test sound on the chosen speaker,
 * and a WebRTC loopback that sends the camera and microphone through two connections in this
 * window, which proves the codecs, encryption and this computer's network interfaces work.
 * Everything runs only while the check screen shows, and stops with it.
 */
import { levelOf, mediaProblemOf, type MediaProblem } from './check-logic';

/**
 * Calls `onLevel` with the microphone's level (0..1) once per animation frame while it
 * changes. Returns a stop function. Where the browser holds an AudioContext until a user
 * gesture (autoplay rules), the first click or key press on the page starts it.
 */
export function watchLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const track = stream.getAudioTracks()[0];
  if (!track) return () => undefined;
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let last = -1;
  let frame = 0;
  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    const level = levelOf(samples);
    if (level !== last) {
      last = level;
      onLevel(level);
    }
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  const resume = () => void ctx.resume().catch(() => undefined);
  if (ctx.state === 'suspended') {
    window.addEventListener('pointerdown', resume, { once: true });
    window.addEventListener('keydown', resume, { once: true });
  }
  return () => {
    cancelAnimationFrame(frame);
    window.removeEventListener('pointerdown', resume);
    window.removeEventListener('keydown', resume);
    source.disconnect();
    void ctx.close().catch(() => undefined);
  };
}

/** A short three-note chime on the chosen speaker ('' = the default one); resolves when it ends. */
export async function playTestSound(sinkId: string): Promise<void> {
  const ctx = new AudioContext();
  try {
    const routed = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (sinkId && routed.setSinkId) await routed.setSinkId(sinkId);
    await ctx.resume();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.value = 0.2;
    const notes = [523.25, 659.25, 783.99];
    const end = ctx.currentTime + notes.length * 0.3 + 0.2;
    notes.forEach((frequency, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = frequency;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.3);
      osc.stop(ctx.currentTime + i * 0.3 + 0.25);
    });
    await new Promise((resolve) => setTimeout(resolve, Math.ceil((end - ctx.currentTime) * 1000)));
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

/**
 * Sends the stream's tracks from one RTCPeerConnection to another in this window (no STUN or
 * TURN: host candidates only) and waits until the receiving side has packets of every kind.
 * Resolves true when media flowed within `timeoutMs`, false otherwise; both connections and
 * the cloned tracks are closed either way.
 */
export async function loopbackCheck(stream: MediaStream, timeoutMs = 10_000): Promise<boolean> {
  const tracks = stream.getTracks().filter((t) => t.readyState === 'live').map((t) => t.clone());
  if (tracks.length === 0) return false;
  const sender = new RTCPeerConnection({ iceServers: [] });
  const receiver = new RTCPeerConnection({ iceServers: [] });
  try {
    sender.onicecandidate = (e) => void (e.candidate && receiver.addIceCandidate(e.candidate).catch(() => undefined));
    receiver.onicecandidate = (e) => void (e.candidate && sender.addIceCandidate(e.candidate).catch(() => undefined));
    for (const track of tracks) sender.addTrack(track, new MediaStream([track]));
    await sender.setLocalDescription();
    await receiver.setRemoteDescription(sender.localDescription!);
    await receiver.setLocalDescription();
    await sender.setRemoteDescription(receiver.localDescription!);
    const kinds = new Set(tracks.map((t) => t.kind));
    const deadline = performance.now() + timeoutMs;
    // Bounded polling, only while the check runs: stops at the first sign of media or the deadline.
    while (performance.now() < deadline) {
      if (receiver.connectionState === 'failed') return false;
      const arrived = new Set<string>();
      (await receiver.getStats()).forEach((s: RTCStats & { kind?: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind && (s.packetsReceived ?? 0) > 0) arrived.add(s.kind);
      });
      if ([...kinds].every((k) => arrived.has(k))) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  } catch {
    return false;
  } finally {
    sender.close();
    receiver.close();
    for (const track of tracks) track.stop();
  }
}

export interface LocalMedia {
  /** Null when neither the camera nor the microphone could be opened. */
  stream: MediaStream | null;
  camera: MediaProblem | null;
  microphone: MediaProblem | null;
}

/**
 * Opens the camera and microphone: the ones chosen last time, else the system's defaults,
 * else whichever of the two opens alone, saying why the other did not (the check screen
 * turns that into a plain fix; the call goes on with what there is).
 */
export async function openLocalMedia(prefs: { camera?: string | undefined; microphone?: string | undefined }): Promise<LocalMedia> {
  const chosen = (id: string | undefined) => (id ? { deviceId: { exact: id } } : true);
  const open = (constraints: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(constraints);
  try {
    return { stream: await open({ audio: chosen(prefs.microphone), video: chosen(prefs.camera) }), camera: null, microphone: null };
  } catch {
    // A remembered device is gone (unplugged): the defaults, below.
  }
  try {
    return { stream: await open({ audio: true, video: true }), camera: null, microphone: null };
  } catch {
    // One of the two is missing, busy or not allowed: each alone says which.
  }
  const [audio, video] = await Promise.all([
    open({ audio: true }).then((s) => ({ s, e: null }), (e: unknown) => ({ s: null, e })),
    open({ video: true }).then((s) => ({ s, e: null }), (e: unknown) => ({ s: null, e })),
  ]);
  const tracks = [...(audio.s?.getTracks() ?? []), ...(video.s?.getTracks() ?? [])];
  return {
    stream: tracks.length > 0 ? new MediaStream(tracks) : null,
    microphone: audio.s ? null : mediaProblemOf(audio.e),
    camera: video.s ? null : mediaProblemOf(video.e),
  };
}
