/**
 * "A guest on Pexip": a page that joins a conference with Pexip's own client library
 * (@pexip/infinity), as a patient's browser or the console's call window would. It asks for
 * the PIN when the node wants one and joins with the fake camera and microphone.
 *
 * Query: ?host=<node URL>&alias=<conference alias>&name=<display name>[&w=640&h=360]
 * (w and h pick the camera size; tests give each page its own aspect ratio, so a receiver's
 * decoded frame size tells whose video it gets.)
 *
 * For tests, window.__pexip: state and history, errors, the disconnect reason, the
 * participant list from the library's signals, received chat, inbound media stats, and the
 * InfinityClient itself (client.mute, dial, lock, disconnectAll, ... go through the REST API).
 */
import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  type InfinityClient,
  type Participant,
} from '@pexip/infinity';

type PageState = 'starting' | 'pin-required' | 'joining' | 'waiting' | 'in-meeting' | 'disconnected';

interface InboundStats {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  videoBytesReceived: number;
  audioBytesReceived: number;
  totalAudioEnergy: number;
}

interface PexipPageApi {
  state: PageState;
  states: PageState[];
  errors: Array<{ error: string; errorCode: string }>;
  disconnectReason: string | null;
  me: string | null;
  serviceType: string | null;
  participants: Record<string, { displayName: string; role: string; serviceType: string; isMuted: boolean }>;
  messages: Array<{ from: string; text: string }>;
  client: InfinityClient;
  stats(): Promise<InboundStats>;
  /** Inbound audio bytes received over the next `ms` milliseconds. */
  audioBytesOver(ms: number): Promise<number>;
  /** Frames decoded over the next `ms` milliseconds. */
  framesOver(ms: number): Promise<number>;
}

declare global {
  interface Window {
    __pexip: PexipPageApi;
  }
}

const params = new URLSearchParams(location.search);
const host = params.get('host') ?? '';
const conferenceAlias = params.get('alias') ?? '';
const displayName = params.get('name') ?? 'Guest';
const width = Number(params.get('w') ?? 640);
const height = Number(params.get('h') ?? 360);

const statusEl = document.getElementById('status') as HTMLParagraphElement;
const pinForm = document.getElementById('pin-form') as HTMLFormElement;
const pinInput = document.getElementById('pin') as HTMLInputElement;
const joinButton = document.getElementById('join') as HTMLButtonElement;
const remoteVideo = document.getElementById('remote') as HTMLVideoElement;
const leaveButton = document.getElementById('leave') as HTMLButtonElement;

// The library creates its RTCPeerConnection itself; keep a handle on it for getStats.
const peerConnections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    peerConnections.push(this);
  }
};

const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 100, batchBufferSize: 50 });
const callSignals = createCallSignals([]);
const client = createInfinityClient(signals, callSignals);

const api: PexipPageApi = {
  state: 'starting',
  states: ['starting'],
  errors: [],
  disconnectReason: null,
  me: null,
  serviceType: null,
  participants: {},
  messages: [],
  client,
  stats,
  audioBytesOver: async (ms) => {
    const before = (await stats()).audioBytesReceived;
    await new Promise((r) => setTimeout(r, ms));
    return (await stats()).audioBytesReceived - before;
  },
  framesOver: async (ms) => {
    const before = (await stats()).framesDecoded;
    await new Promise((r) => setTimeout(r, ms));
    return (await stats()).framesDecoded - before;
  },
};
window.__pexip = api;

function setState(state: PageState, text: string): void {
  if (api.state !== state) api.states.push(state);
  api.state = state;
  statusEl.textContent = text;
  pinForm.hidden = state !== 'pin-required';
  leaveButton.hidden = state !== 'waiting' && state !== 'in-meeting';
}

async function stats(): Promise<InboundStats> {
  const out: InboundStats = {
    framesDecoded: 0,
    frameWidth: 0,
    frameHeight: 0,
    videoBytesReceived: 0,
    audioBytesReceived: 0,
    totalAudioEnergy: 0,
  };
  const pc = peerConnections.filter((p) => p.connectionState !== 'closed').at(-1);
  if (!pc) return out;
  (await pc.getStats()).forEach((s: RTCStats) => {
    const stat = s as RTCInboundRtpStreamStats;
    if (stat.type !== 'inbound-rtp') return;
    if (stat.kind === 'video') {
      // The main video is the first inbound video with frames (slides come later, if at all).
      if ((stat.framesDecoded ?? 0) >= out.framesDecoded) {
        out.framesDecoded = stat.framesDecoded ?? 0;
        out.frameWidth = stat.frameWidth ?? 0;
        out.frameHeight = stat.frameHeight ?? 0;
        out.videoBytesReceived = stat.bytesReceived ?? 0;
      }
    } else if (stat.kind === 'audio') {
      out.audioBytesReceived = stat.bytesReceived ?? 0;
      out.totalAudioEnergy = stat.totalAudioEnergy ?? 0;
    }
  });
  return out;
}

const serviceTypeText = (t: string) => (t === 'waiting_room' ? 'Waiting for the host' : 'In the meeting');

signals.onPinRequired.add(() => {
  setState('pin-required', 'Enter the meeting PIN to join.');
  joinButton.disabled = false;
  pinInput.focus();
});
signals.onError.add(({ error, errorCode }) => {
  api.errors.push({ error, errorCode });
  if (error === 'Invalid PIN') {
    setState('pin-required', 'Wrong PIN. Try again.');
    joinButton.disabled = false;
  } else if (api.state !== 'disconnected') {
    setState('disconnected', `Could not join: ${error}`);
  }
});
signals.onServiceType.add((type) => {
  api.serviceType = type ?? null;
  if (type && api.state !== 'disconnected') setState(type === 'waiting_room' ? 'waiting' : 'in-meeting', serviceTypeText(type));
});
signals.onMe.add(({ participant }) => {
  api.me = participant.uuid;
});
const remember = (p: Participant) => {
  api.participants[p.uuid] = {
    displayName: p.displayName ?? '',
    role: p.role,
    serviceType: p.serviceType ?? '',
    isMuted: p.isMuted,
  };
};
signals.onParticipants.add(({ participants }) => {
  api.participants = {};
  for (const p of participants) remember(p);
});
signals.onParticipantJoined.add((events) => events.forEach(({ participant }) => remember(participant)));
signals.onParticipantUpdated.add((events) => events.forEach(({ participant }) => remember(participant)));
signals.onParticipantLeft.add((events) =>
  events.forEach(({ participant }) => {
    delete api.participants[participant.uuid];
  }),
);
signals.onMessage.add((m) => {
  api.messages.push({ from: m.displayName, text: m.message });
});
signals.onDisconnected.add(({ error }) => {
  api.disconnectReason = error;
  setState('disconnected', `Disconnected: ${error}`);
  for (const track of localStream?.getTracks() ?? []) track.stop();
});
callSignals.onRemoteStream.add((stream) => {
  remoteVideo.srcObject = stream;
  void remoteVideo.play().catch(() => undefined);
});

let localStream: MediaStream | undefined;

async function join(pin?: string): Promise<void> {
  localStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: { width, height } });
  await client.call({
    conferenceAlias,
    displayName,
    callType: ClientCallType.AudioVideo,
    bandwidth: 0,
    // Always the node's URL: the default (this page's own origin) is not the node.
    host,
    mediaStream: localStream,
    ...(pin !== undefined ? { pin } : {}),
  });
}

pinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  joinButton.disabled = true;
  setState('joining', 'Joining');
  // A guest of a room without a guest PIN leaves the field empty: Pexip's PIN is then "none".
  void join(pinInput.value || 'none');
});
leaveButton.addEventListener('click', () => {
  void client.disconnect({ reason: 'User initiated disconnect' });
  setState('disconnected', 'You left the meeting');
});

void join();
