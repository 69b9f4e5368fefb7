/**
 * A guest's browser (patient, interpreter, ...) for tests and the sandbox: the patient
 * portal the console's invitations link to. The link names the room and the role, never
 * the PIN or the guest's name; the guest types both here.
 *
 *   Janus: ?provider=janus&server=ws://…&guard=http://…&room=<id>&role=patient
 *     The guest knocks at the room guard with the guest PIN, waits in its lobby until the
 *     host admits (or denies), then joins with the token and feed id the guard hands over.
 *   Pexip: ?provider=pexip&node=https://…&alias=<alias@domain>&role=patient
 *     Pexip's own client, @pexip/infinity, with the guest PIN; Pexip keeps guests in its
 *     waiting room until the host is in (or admits them, when the meeting is locked).
 *   Optional: &name=<prefill> (a portal that knows the guest), &debug=1.
 *
 * Once in, the guest can chat with everybody in the call (Janus: VideoRoom data channels,
 * through the same JanusRoom as the console; Pexip: conference messages).
 *
 * Content (a presentation): the guest presents with Present and sees what someone else
 * presents in a figure of its own (`data-testid="content"`). Headless Chromium never answers
 * getDisplayMedia (README), so what the guest presents is a second capture of Chromium's
 * fake camera at presentation size; a real portal would ask for a screen.
 *
 * For tests: window.guestStats(), window.guestLocalStats(), window.guestTimings,
 * window.guestStates, window.guestLimitFrameRate(fps), window.guestContentFrames().
 */
import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  type InfinityClient,
  type Participant as PexipParticipant,
} from '@pexip/infinity';
import { GuestRole, type Role } from '../../../call/common/call-model';
import { guardRoomUrl } from '../../../call/providers/janus/guard-api';
import { JanusRoom, type LocalVideoStats, type Participant, type StateChange } from '../../../call/providers/janus/window/janus-room';

interface GuestTimings {
  /** performance.now() when Join was pressed, when the room was joined, first remote frame. */
  joinPressedAt?: number;
  /** Janus: when the guard said the host let this guest in (joining the room starts then). */
  admittedAt?: number;
  joinedAt?: number;
  firstRemoteFrameAt?: number;
}

/** What a test reads: frames and audio bytes received, per remote stream. */
interface GuestStats {
  participantId: string;
  framesDecoded: number;
  audioBytesReceived?: number;
  audioLevel?: number;
}

declare global {
  interface Window {
    guestStats: () => Promise<GuestStats[]>;
    guestLocalStats: () => Promise<LocalVideoStats | null>;
    guestTimings: GuestTimings;
    /** Every state in order, e.g. lobby, connecting, joined, reconnecting, joined. */
    guestStates: string[];
    guestLimitFrameRate: (fps: number) => Promise<void>;
    /** Frames of the content shown (someone else's presentation), or -1 while none shows. */
    guestContentFrames: () => number;
    /** Leaves the meeting as the Leave button does, resolving once the server was told (tests, before closing the page). */
    guestLeave: () => Promise<void>;
  }
}

const params = new URLSearchParams(location.search);
const provider = params.get('provider') === 'pexip' ? 'pexip' : 'janus';
const parsedRole = GuestRole.safeParse(params.get('role'));
const role = parsedRole.success ? parsedRole.data : 'patient';
const debug = params.get('debug') === '1';
/** `media=audio`: join with the microphone only, as a guest without a camera (or by phone) would. */
const audioOnly = params.get('media') === 'audio';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};
const statusEl = $<HTMLParagraphElement>('status');
const form = $<HTMLFormElement>('pin-form');
const nameInput = $<HTMLInputElement>('name');
const pinInput = $<HTMLInputElement>('pin');
const videos = $<HTMLElement>('videos');
const controls = $<HTMLDivElement>('controls');
const muteBtn = $<HTMLButtonElement>('mute');
const cameraBtn = $<HTMLButtonElement>('camera');
const presentBtn = $<HTMLButtonElement>('present');
const leaveBtn = $<HTMLButtonElement>('leave');
const chatSection = $<HTMLElement>('chat');
const chatLog = $<HTMLOListElement>('chat-log');
const chatForm = $<HTMLFormElement>('chat-form');
const chatInput = $<HTMLInputElement>('chat-input');

nameInput.value = params.get('name') ?? '';
let localStream: MediaStream | null = null;
window.guestTimings = {};
window.guestStates = [];
window.guestLimitFrameRate = async (fps) => {
  await localStream?.getVideoTracks()[0]?.applyConstraints({ frameRate: fps });
};
window.guestContentFrames = () => {
  const video = videos.querySelector<HTMLVideoElement>('figure[data-testid="content"] video');
  return video ? video.getVideoPlaybackQuality().totalVideoFrames : -1;
};

/** Someone else's presentation, in a figure of its own; null removes it. */
function showContent(stream: MediaStream | null): void {
  let fig = videos.querySelector<HTMLElement>('figure[data-testid="content"]');
  if (!stream) {
    fig?.remove();
    return;
  }
  if (!fig) {
    fig = document.createElement('figure');
    fig.dataset.testid = 'content';
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    const caption = document.createElement('figcaption');
    caption.textContent = 'Presentation';
    fig.append(video, caption);
    videos.prepend(fig);
  }
  const video = fig.querySelector('video')!;
  if (video.srcObject !== stream) video.srcObject = stream;
}

/** Present / Stop presenting: `start` sends the stream as content, `stop` ends it. */
function contentControls(start: (stream: MediaStream) => Promise<void>, stop: () => Promise<void>): void {
  let presenting: MediaStream | null = null;
  const render = () => {
    presentBtn.setAttribute('aria-pressed', String(presenting !== null));
    presentBtn.textContent = presenting ? 'Stop presenting' : 'Present';
  };
  render();
  presentBtn.onclick = async () => {
    if (presenting) {
      const stream = presenting;
      presenting = null;
      render();
      await stop();
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { width: 1280, height: 720 } }).catch(() => null);
    if (!stream) return;
    presenting = stream;
    render();
    await start(stream);
  };
}

/** The host's word to those waiting ("running late"); null hides it (no longer waiting). */
function showNotice(text: string | null): void {
  const el = document.getElementById('notice')!;
  el.textContent = text ?? '';
  el.hidden = text === null;
}

function setStatus(text: string): void {
  statusEl.textContent = text;
}

function enableForm(): void {
  form.hidden = false;
  form.querySelectorAll('input, button').forEach((el) => ((el as HTMLInputElement).disabled = false));
  pinInput.select();
}

const incomplete = provider === 'janus' ? !params.get('server') || !params.get('guard') || !params.get('room') : !params.get('node') || !params.get('alias');
if (incomplete) {
  setStatus('This meeting link is incomplete.');
  form.hidden = true;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void join(nameInput.value.trim(), pinInput.value.trim());
});

async function join(name: string, pin: string): Promise<void> {
  window.guestTimings = { joinPressedAt: performance.now() };
  form.querySelectorAll('input, button').forEach((el) => ((el as HTMLInputElement).disabled = true));
  setStatus('Connecting…');
  // The camera stays open across PIN retries: one permission prompt for a real guest.
  localStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: !audioOnly }).catch(() => null);
  if (!localStream) {
    setStatus('Your camera or microphone is not available.');
    enableForm();
    return;
  }
  if (provider === 'janus') await joinJanus(name, pin, localStream);
  else await joinPexip(name, pin, localStream);
}

/** Shows the chat once in the call; `send` is the server's way of sending a message. */
function chatControls(send: (text: string) => Promise<unknown>): void {
  chatSection.hidden = false;
  chatForm.onsubmit = (ev) => {
    ev.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    send(text).then(
      () => {
        addChat('You', text);
        chatInput.value = '';
      },
      () => addChat('', 'The message could not be sent.'),
    );
  };
}

function addChat(who: string, text: string): void {
  const item = document.createElement('li');
  item.dataset.testid = 'chat-message';
  item.textContent = who ? `${who}: ${text}` : text;
  chatLog.append(item);
}

function mediaControls(setAudio: (on: boolean) => void, setVideo: (on: boolean) => void, leave: () => Promise<void>): void {
  window.guestLeave = leave;
  let audio = true;
  let video = true;
  muteBtn.onclick = () => {
    audio = !audio;
    setAudio(audio);
    muteBtn.setAttribute('aria-pressed', String(!audio));
    muteBtn.textContent = audio ? 'Mute microphone' : 'Unmute microphone';
  };
  cameraBtn.onclick = () => {
    video = !video;
    setVideo(video);
    cameraBtn.setAttribute('aria-pressed', String(!video));
    cameraBtn.textContent = video ? 'Turn camera off' : 'Turn camera on';
  };
  leaveBtn.onclick = () => void leave();
}

// ---------------------------------------------------------------------------------------------
// Janus, through the room guard.

const guardBase = guardRoomUrl(params.get('guard') ?? '', params.get('room') ?? '');

async function guard(method: string, path: string, bearer: string | null, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(guardBase + path, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function joinJanus(name: string, pin: string, local: MediaStream): Promise<void> {
  let knock: { status: number; json: Record<string, unknown> };
  try {
    knock = await guard('POST', '/guests', null, { pin, name, role });
  } catch {
    window.guestStates.push('failed:server-unreachable');
    setStatus('Could not reach the meeting server');
    enableForm();
    return;
  }
  if (knock.status === 403 || knock.status === 429) {
    window.guestStates.push(knock.status === 403 ? 'failed:wrong-pin' : 'failed:locked');
    setStatus(knock.status === 403 ? 'Wrong PIN. Check the PIN and try again.' : 'Too many wrong PINs. The meeting is locked for a while.');
    enableForm();
    return;
  }
  if (knock.status === 404) {
    setStatus('The meeting was not found');
    return;
  }
  if (knock.status !== 201) {
    // 503: the guard is checking too many PINs at once (Retry-After); anything else: not now.
    window.guestStates.push('failed:busy');
    setStatus('The meeting server is busy. Try again in a moment.');
    enableForm();
    return;
  }
  const guestId = String(knock.json.guestId);
  const secret = String(knock.json.secret);
  window.guestStates.push('lobby');
  setStatus('Please wait, the host will let you in soon.');

  // Waiting: long polls until the host answers. A notice from the host ("running late")
  // answers a poll at once and is shown as it came (text, never markup).
  let answer: Record<string, unknown> = { state: 'waiting' };
  let seen = 0;
  for (let i = 0; answer.state === 'waiting' && i < 200; i++) {
    const res = await guard('GET', `/guests/${guestId}?wait=25000&seen=${seen}`, secret).catch(() => null);
    if (!res || res.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      continue;
    }
    answer = res.json;
    const notice = answer.notice as { text?: unknown; seq?: unknown } | undefined;
    if (notice && typeof notice.text === 'string' && typeof notice.seq === 'number') {
      seen = notice.seq;
      showNotice(notice.text);
    }
  }
  showNotice(null);
  if (answer.state === 'denied') {
    window.guestStates.push('left:denied');
    setStatus('The host did not let you in to this meeting.');
    return;
  }
  if (answer.state !== 'admitted') {
    window.guestStates.push('left:ended');
    setStatus('The meeting has ended');
    return;
  }

  window.guestTimings.admittedAt = performance.now();
  const roles = new Map<string, Role>();
  let first = true;
  const room = new JanusRoom({
    server: params.get('server') ?? '',
    // The link's `room` is the guard's reference; the Janus room's own id comes with admission.
    room: String(answer.room),
    displayName: name,
    token: String(answer.token),
    id: String(answer.feedId),
    debug,
    // A rejoin (the connection dropped, Janus restarted) asks the guard for a fresh token.
    beforeJoin: async () => {
      if (first) {
        first = false;
        return undefined;
      }
      const again = await guard('GET', `/guests/${guestId}?wait=0`, secret);
      if (again.json.state !== 'admitted') throw new Error(String(again.json.state));
      return { token: String(again.json.token), id: String(again.json.feedId), room: String(again.json.room) };
    },
  });
  window.guestStats = async () => (await room.stats()).map((s) => ({ participantId: s.id, framesDecoded: s.framesDecoded, audioBytesReceived: s.audioBytesReceived, audioLevel: s.audioLevel }));
  window.guestLocalStats = () => room.localStats();
  mediaControls(
    (on) => room.setAudioEnabled(on),
    (on) => room.setVideoEnabled(on),
    () => room.leave(),
  );
  chatControls((text) => room.sendChat(text));
  room.on('chat', (m) => addChat(m.displayName, m.text));
  // Content: a second stream on this guest's feed, described `screen` (JanusRoom).
  contentControls(
    (stream) => room.present(stream),
    () => room.stopPresenting(),
  );
  room.on('content', (c) => showContent(c?.stream ?? null));

  // Who has which role comes from the guard, not from display names.
  const refreshRoles = async () => {
    const res = await guard('GET', `/guests/${guestId}/roster`, secret).catch(() => null);
    // Only feeds the guard saw in the room under their own admission: someone who joined
    // under the host's id (while the host reconnects) is nobody's "host".
    roles.clear();
    for (const p of (res?.json.roster as Array<{ feedId: string; role: Role; present: boolean }> | undefined) ?? []) if (p.present) roles.set(p.feedId, p.role);
    renderJanus(room, roles);
  };
  const rolesTimer = setInterval(() => void refreshRoles(), 2_000);

  room.on('state', (s) => onJanusState(room, roles, s, rolesTimer));
  room.on('warning', (w) => console.warn('[guest]', w));
  room.on('participants', () => void refreshRoles());
  room.on('trackAdded', ({ participantId, track, stream }) => {
    const video = videoFor(participantId);
    if (video.srcObject !== stream) video.srcObject = stream;
    if (track.kind === 'video') watchFirstFrame(video);
  });
  try {
    await room.join(local);
    window.guestTimings.joinedAt = performance.now();
  } catch {
    // onJanusState shows why.
  }
}

function onJanusState(room: JanusRoom, roles: Map<string, Role>, s: StateChange, rolesTimer: ReturnType<typeof setInterval>): void {
  window.guestStates.push(s.reason ? `${s.state}:${s.reason}` : s.state);
  if (s.state === 'left' || s.state === 'failed') chatSection.hidden = true;
  switch (s.state) {
    case 'connecting':
      setStatus('Connecting…');
      return;
    case 'joined':
      form.hidden = true;
      controls.hidden = false;
      renderJanus(room, roles);
      return;
    case 'reconnecting':
      setStatus('Connection lost. Reconnecting…');
      return;
    case 'left':
    case 'failed':
      clearInterval(rolesTimer);
      controls.hidden = true;
      videos.replaceChildren();
      setStatus(endMessage(s.reason));
      return;
    default:
      return;
  }
}

function renderJanus(room: JanusRoom, roles: Map<string, Role>): void {
  const list = room.participants();
  renderParticipants(list.map((p: Participant) => ({ id: p.id, name: p.displayName, role: roles.get(p.id) ?? 'other', video: p.hasVideo })));
  if (room.state.state === 'joined') setStatus([...list].some((p) => roles.get(p.id) === 'host') ? 'In the meeting' : 'Waiting for the host');
}

// ---------------------------------------------------------------------------------------------
// Pexip, with Pexip's own client.

let pexip: InfinityClient | null = null;

async function joinPexip(name: string, pin: string, local: MediaStream): Promise<void> {
  const client = pexip ?? createPexipClient();
  pexip = client;
  setStatus('Connecting…');
  await client.call({
    conferenceAlias: params.get('alias') ?? '',
    displayName: name,
    // With presentation: the library offers a slides line, for content both ways. Audio only:
    // the library offers no main video line (an audio-only call to the node).
    callType: audioOnly ? ClientCallType.Audio : ClientCallType.AudioVideoPresentation,
    bandwidth: 0,
    host: (params.get('node') ?? '').replace(/\/+$/, ''),
    mediaStream: local,
    pin: pin || 'none',
    callTag: role,
  });
  mediaControls(
    (on) => local.getAudioTracks().forEach((t) => (t.enabled = on)),
    (on) => {
      local.getVideoTracks().forEach((t) => (t.enabled = on));
      void client.muteVideo({ muteVideo: !on });
    },
    async () => {
      await client.disconnect({ reason: 'User initiated disconnect' });
    },
  );
  chatControls(async (text) => {
    const res = await client.sendMessage({ payload: text });
    if (res?.status !== 200) throw new Error(`message refused (${res?.status ?? 'no answer'})`);
  });
  // Pexip's presentation: take_floor and the slides line (the library's present/stopPresenting).
  contentControls(
    async (stream) => client.present(stream),
    async () => client.stopPresenting(),
  );
}

const peerConnections: RTCPeerConnection[] = [];

function createPexipClient(): InfinityClient {
  // The library does not hand out its RTCPeerConnection; keep a reference for the stats.
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      peerConnections.push(this);
    }
  };
  window.guestStats = async () => {
    const pc = peerConnections.at(-1);
    if (!pc) return [];
    const out: GuestStats = { participantId: 'stage', framesDecoded: 0 };
    (await pc.getStats()).forEach((s: RTCStats & Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      // The stage only: the presentation (the slides line) is content, read by guestContentFrames.
      if (contentTrack && s.trackIdentifier === contentTrack) return;
      if (s.kind === 'video') out.framesDecoded = Math.max(out.framesDecoded, Number(s.framesDecoded ?? 0));
      if (s.kind === 'audio') {
        out.audioBytesReceived = Number(s.bytesReceived ?? 0);
        out.audioLevel = Number(s.audioLevel ?? 0);
      }
    });
    return [out];
  };
  window.guestLocalStats = async () => null;

  const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 50, batchBufferSize: 50 });
  const callSignals = createCallSignals([]);
  const client = createInfinityClient(signals, callSignals);
  const people = new Map<string, PexipParticipant>();
  let me: string | null = null;
  let joined = false;
  let contentTrack: string | null = null;
  // The library hands participant events on in batches up to 50 ms late, but `disconnect`
  // at once: an update sent just before the host refused this guest would otherwise arrive
  // after the refusal and put "Please wait" back. Once the node sent this guest away, the
  // page's last word stands.
  let ended = false;

  const render = () => {
    if (ended) return;
    const others = [...people.values()].filter((p) => p.uuid !== me && !p.isWaiting);
    renderParticipants(others.map((p) => ({ id: p.uuid, name: p.displayName ?? p.uri, role: p.isHost ? 'host' : 'other', video: p.callType === 'video' })));
    const mine = me ? people.get(me) : undefined;
    if (mine?.isWaiting) {
      if (window.guestStates.at(-1) !== 'lobby') window.guestStates.push('lobby');
      setStatus('Please wait, the host will let you in soon.');
    } else if (joined) setStatus(others.some((p) => p.isHost) ? 'In the meeting' : 'Waiting for the host');
  };
  const upsert = (events: Array<{ participant: PexipParticipant }>) => {
    for (const { participant } of events) people.set(participant.uuid, participant);
    render();
  };
  signals.onParticipants.add(({ participants }) => {
    people.clear();
    upsert(participants.map((participant) => ({ participant })));
  });
  signals.onParticipantJoined.add(upsert);
  signals.onParticipantUpdated.add(upsert);
  signals.onParticipantLeft.add((events) => {
    for (const { participant } of events) people.delete(participant.uuid);
    render();
  });
  signals.onMe.add(({ participant }) => {
    me = participant.uuid;
    people.set(participant.uuid, participant);
    render();
  });
  signals.onError.add(({ error }) => {
    if (error === 'Invalid PIN' || /exceeded pin/i.test(String(error))) {
      window.guestStates.push(error === 'Invalid PIN' ? 'failed:wrong-pin' : 'failed:locked');
      setStatus(error === 'Invalid PIN' ? 'Wrong PIN. Check the PIN and try again.' : 'Too many wrong PINs. The meeting is locked for a while.');
      enableForm();
    }
  });
  signals.onMessage.add((m) => addChat(m.displayName, m.message));
  signals.onPinRequired.add(() => {
    setStatus('Enter the meeting PIN to join.');
    enableForm();
  });
  callSignals.onRemoteStream.add((stream) => {
    const video = videoFor('stage');
    video.srcObject = stream;
    watchFirstFrame(video);
  });
  // Someone else presents: the library renegotiates the slides line to receive it
  // (presentation_start) and hands over its stream; presentation_stop ends the receiving.
  callSignals.onRemotePresentationStream.add((stream) => {
    contentTrack = stream.getVideoTracks()[0]?.id ?? null;
    showContent(stream);
  });
  callSignals.onPresentationConnectionChange.add(({ recv }) => {
    if (recv === 'disconnected' || recv === 'failed') showContent(null);
  });
  callSignals.onCallConnected.add(() => {
    joined = true;
    window.guestStates.push('joined');
    window.guestTimings.joinedAt ??= performance.now();
    form.hidden = true;
    controls.hidden = false;
    render();
  });
  signals.onDisconnected.add(({ error }) => {
    joined = false;
    ended = true;
    const text = String(error);
    // Sent away from the waiting room: the host did not let this guest in.
    const wasWaiting = me !== null && people.get(me)?.isWaiting === true;
    const reason = /disconnected by another participant/i.test(text)
      ? wasWaiting
        ? 'refused'
        : 'kicked'
      : /conference terminated|hosts departed/i.test(text)
        ? 'ended'
        : /user initiated/i.test(text)
          ? 'user-left'
          : 'error';
    window.guestStates.push(`left:${reason}`);
    controls.hidden = true;
    chatSection.hidden = true;
    videos.replaceChildren();
    setStatus(endMessage(reason));
  });
  return client;
}

// ---------------------------------------------------------------------------------------------
// The page.

function endMessage(reason: string | undefined): string {
  switch (reason) {
    case 'refused':
      return 'The host did not let you in to this meeting.';
    case 'kicked':
      return 'You were removed from the meeting';
    case 'ended':
      return 'The meeting has ended';
    case 'room-missing':
      return 'The meeting was not found';
    case 'server-unreachable':
      return 'Could not reach the meeting server';
    case 'media-failed':
      return 'Your camera or microphone is not available.';
    case 'user-left':
      return 'You left the meeting';
    default:
      return 'Something went wrong. Please try again later.';
  }
}

function renderParticipants(list: Array<{ id: string; name: string; role: Role; video: boolean }>): void {
  const ids = new Set(list.map((p) => p.id));
  for (const fig of [...videos.querySelectorAll<HTMLElement>('figure')]) {
    if (fig.dataset.testid === 'content') continue;
    if (fig.dataset.participantId !== 'stage' && !ids.has(fig.dataset.participantId ?? '')) fig.remove();
  }
  for (const p of list) {
    const fig = figureFor(p.id);
    const caption = fig.querySelector('figcaption');
    if (caption) caption.textContent = `${p.name} (${p.role})${p.video ? '' : ', no video'}`;
  }
}

function figureFor(id: string): HTMLElement {
  let fig = videos.querySelector<HTMLElement>(`figure[data-participant-id="${CSS.escape(id)}"]`);
  if (!fig) {
    fig = document.createElement('figure');
    fig.dataset.participantId = id;
    fig.dataset.testid = 'remote-participant';
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    fig.append(video, document.createElement('figcaption'));
    videos.append(fig);
  }
  return fig;
}

function videoFor(id: string): HTMLVideoElement {
  return figureFor(id).querySelector('video') as HTMLVideoElement;
}

function watchFirstFrame(video: HTMLVideoElement): void {
  if (window.guestTimings.firstRemoteFrameAt !== undefined) return;
  video.requestVideoFrameCallback(() => {
    window.guestTimings.firstRemoteFrameAt ??= performance.now();
  });
}
