/**
 * A SIP/H.323 room system or phone for dial-out tests, played by a headless page: it
 * registers its address with the Pexip double, long-polls for a ring, shows "Ringing",
 * answers by itself (or on the Answer button with `?answer=manual`), and makes its one
 * WebRTC call into the conference with the fake camera and microphone.
 *
 * Query: ?uri=<address>[&answer=manual]
 * For tests: window.__endpoint = { state, states, endReason, caller, framesDecoded(),
 * audioEnergy(), audioBytesReceived(), answer() }.
 */

type EndpointState = 'registering' | 'idle' | 'ringing' | 'connecting' | 'in-call' | 'ended' | 'error';

type EndpointEvent =
  | { type: 'ring'; callId: string; from: string; role: 'HOST' | 'GUEST'; protocol: string }
  | { type: 'cancel'; callId: string }
  | { type: 'hangup'; callId: string; reason: string };

interface EndpointApi {
  state: EndpointState;
  states: EndpointState[];
  /** Why the last call ended (the conference's reason, "cancelled", "hung up", ...). */
  endReason: string | null;
  /** Who rang: the dial's source display name and role. */
  caller: { from: string; role: string; protocol: string } | null;
  framesDecoded(): Promise<number>;
  audioEnergy(): Promise<number>;
  audioBytesReceived(): Promise<number>;
  answer(): Promise<void>;
}

declare global {
  interface Window {
    __endpoint: EndpointApi;
  }
}

const params = new URLSearchParams(location.search);
const address = params.get('uri') ?? '';
const manual = params.get('answer') === 'manual';
const registration = crypto.randomUUID();
/** Consecutive failed polls before the page gives up (the double is gone). */
const MAX_POLL_FAILURES = 10;

const statusEl = document.getElementById('status') as HTMLParagraphElement;
const answerButton = document.getElementById('answer') as HTMLButtonElement;
const hangupButton = document.getElementById('hangup') as HTMLButtonElement;
const remoteVideo = document.getElementById('remote') as HTMLVideoElement;
(document.getElementById('address') as HTMLSpanElement).textContent = address;

let ring: Extract<EndpointEvent, { type: 'ring' }> | null = null;
let callId: string | null = null;
let pc: RTCPeerConnection | null = null;
let local: MediaStream | null = null;

const api: EndpointApi = {
  state: 'registering',
  states: ['registering'],
  endReason: null,
  caller: null,
  framesDecoded: async () => (await inbound('video'))?.framesDecoded ?? 0,
  audioEnergy: async () => (await inbound('audio'))?.totalAudioEnergy ?? 0,
  audioBytesReceived: async () => (await inbound('audio'))?.bytesReceived ?? 0,
  answer,
};
window.__endpoint = api;

const TEXT: Record<EndpointState, string> = {
  registering: 'Registering',
  idle: 'Registered, waiting for a call',
  ringing: 'Ringing',
  connecting: 'Connecting',
  'in-call': 'In a call',
  ended: 'Call ended',
  error: 'Not registered: the conferencing node cannot be reached',
};

function setState(state: EndpointState, detail?: string): void {
  api.state = state;
  api.states.push(state);
  statusEl.textContent = detail ? `${TEXT[state]}: ${detail}` : TEXT[state];
  answerButton.hidden = state !== 'ringing';
  hangupButton.hidden = state !== 'in-call' && state !== 'connecting';
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function inbound(kind: 'audio' | 'video'): Promise<RTCInboundRtpStreamStats | undefined> {
  if (!pc) return undefined;
  let found: RTCInboundRtpStreamStats | undefined;
  (await pc.getStats()).forEach((s: RTCStats) => {
    const stat = s as RTCInboundRtpStreamStats;
    if (stat.type === 'inbound-rtp' && stat.kind === kind) found = stat;
  });
  return found;
}

async function answer(): Promise<void> {
  const current = ring;
  if (!current || api.state !== 'ringing') return;
  ring = null;
  callId = current.callId;
  setState('connecting');
  try {
    local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    const conn = new RTCPeerConnection({ iceServers: [] });
    pc = conn;
    for (const track of local.getTracks()) conn.addTrack(track, local);
    conn.ontrack = (e) => {
      const stream = (remoteVideo.srcObject as MediaStream | null) ?? new MediaStream();
      stream.addTrack(e.track);
      remoteVideo.srcObject = stream;
      void remoteVideo.play().catch(() => undefined);
    };
    conn.onconnectionstatechange = () => {
      if (conn !== pc) return;
      if (conn.connectionState === 'connected') setState('in-call');
      if (conn.connectionState === 'failed') endCall('call failed');
    };
    await conn.setLocalDescription(await conn.createOffer());
    const res = await post('answer', { callId: current.callId, sdp: conn.localDescription?.sdp ?? '' });
    if (!res.ok) return endCall('the call was gone before it was answered');
    const { sdp } = (await res.json()) as { sdp: string };
    await conn.setRemoteDescription({ type: 'answer', sdp });
  } catch (e) {
    endCall(e instanceof Error ? e.message : 'call failed');
  }
}

function endCall(reason: string): void {
  pc?.close();
  pc = null;
  callId = null;
  for (const track of local?.getTracks() ?? []) track.stop();
  local = null;
  remoteVideo.srcObject = null;
  api.endReason = reason;
  setState('ended', reason);
}

function handle(event: EndpointEvent): void {
  if (event.type === 'ring') {
    if (ring || callId) return; // busy
    ring = event;
    api.caller = { from: event.from, role: event.role, protocol: event.protocol };
    setState('ringing', event.from);
    if (!manual) void answer();
  } else if (event.type === 'cancel' && ring?.callId === event.callId) {
    ring = null;
    api.endReason = 'cancelled';
    setState('idle');
  } else if (event.type === 'hangup' && callId === event.callId) {
    endCall(event.reason);
  }
}

async function pollForever(): Promise<void> {
  let failures = 0;
  while (failures < MAX_POLL_FAILURES) {
    try {
      const res = await fetch(`poll?${new URLSearchParams({ uri: address }).toString()}`);
      if (!res.ok) throw new Error(`poll ${res.status}`);
      const { events } = (await res.json()) as { events: EndpointEvent[] };
      failures = 0;
      for (const event of events) handle(event);
    } catch {
      failures++;
      await new Promise((r) => setTimeout(r, 500 * failures));
    }
  }
  setState('error');
}

answerButton.addEventListener('click', () => void answer());
hangupButton.addEventListener('click', () => {
  if (callId) void post('hangup', { callId });
  endCall('hung up');
});
addEventListener('pagehide', () => {
  if (callId) navigator.sendBeacon('hangup', JSON.stringify({ callId }));
});

void (async () => {
  const res = await post('register', { uri: address, registration }).catch(() => null);
  if (!res?.ok) return setState('error');
  setState('idle');
  await pollForever();
})();

export {};
