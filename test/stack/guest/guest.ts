/**
 * A guest's browser (patient, interpreter, ...) for tests and the sandbox: the page takes
 * the server, room, name and role from its query string (as a meeting link would), asks for
 * the PIN, and joins with the same JanusRoom class as the console's call window.
 *
 * Query: ?server=ws://10.77.N.1:8188&room=<id>&name=<display name>&role=patient[&lobby=1][&debug=1]
 *
 * Admission: the page first knocks at the meeting's lobby room and waits there until the
 * host admits or denies (see main/conference/host-controls.ts). A meeting without a lobby
 * is joined directly, unless the link says `lobby=1` (an invitation from the console): then
 * the host has not opened the meeting yet and the page waits for the lobby to appear.
 * For tests: window.guestStats(), window.guestLocalStats(), window.guestTimings, window.guestStates,
 * window.guestLimitFrameRate(fps) (a struggling camera or uplink: what the host's quality
 * warning is for).
 */
import { isRole } from '../../../common/display-name';
import { newTicket, waitInLobby } from '../../../renderer/call/lobby';
import {
  JanusRoom,
  type LocalVideoStats,
  type Participant,
  type RemoteVideoStats,
  type StateChange,
} from '../../../renderer/call/janus-room';

interface GuestTimings {
  /** performance.now() when Join was pressed, when the room was joined, first remote frame. */
  joinPressedAt?: number;
  joinedAt?: number;
  firstRemoteFrameAt?: number;
}

declare global {
  interface Window {
    guestStats: () => Promise<RemoteVideoStats[]>;
    guestLocalStats: () => Promise<LocalVideoStats | null>;
    guestTimings: GuestTimings;
    /** Every room state in order, e.g. connecting, joined, reconnecting, joined. */
    guestStates: string[];
    guestLimitFrameRate: (fps: number) => Promise<void>;
  }
}

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? '';
const roomId = params.get('room') ?? '';
const displayName = params.get('name') ?? 'Guest';
const roleParam = params.get('role');
const role = isRole(roleParam) ? roleParam : 'patient';
/** ?debug=1 turns on janus.js console logging, for looking into a failing test. */
const debug = params.get('debug') === '1';
const lobbyRequired = params.get('lobby') === '1';
/** Our lobby ticket: participant id in the lobby, then admission token for the room. */
const ticket = newTicket();

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};
const statusEl = $<HTMLParagraphElement>('status');
const form = $<HTMLFormElement>('pin-form');
const pinInput = $<HTMLInputElement>('pin');
const videos = $<HTMLElement>('videos');
const controls = $<HTMLDivElement>('controls');
const muteBtn = $<HTMLButtonElement>('mute');
const cameraBtn = $<HTMLButtonElement>('camera');
const leaveBtn = $<HTMLButtonElement>('leave');

let room: JanusRoom | null = null;
let localStream: MediaStream | null = null;
window.guestTimings = {};
window.guestStates = [];
window.guestStats = async () => (room ? room.stats() : []);
window.guestLocalStats = async () => (room ? room.localStats() : null);
window.guestLimitFrameRate = async (fps) => {
  await room?.localStream?.getVideoTracks()[0]?.applyConstraints({ frameRate: fps });
};

function setStatus(text: string): void {
  statusEl.textContent = text;
}

if (!server || !roomId) {
  setStatus('This meeting link is incomplete.');
  form.hidden = true;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void join(pinInput.value.trim());
});

async function join(pin: string): Promise<void> {
  window.guestTimings = { joinPressedAt: performance.now() };
  form.querySelectorAll('input, button').forEach((el) => ((el as HTMLInputElement).disabled = true));
  setStatus('Connecting…');
  // The camera stays open across PIN retries: one permission prompt for a real guest.
  localStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: true }).catch(() => null);
  if (!localStream) {
    setStatus('Your camera or microphone is not available.');
    enableForm();
    return;
  }
  const admission = await admit(pin);
  if (admission === 'stop') return;
  const r = new JanusRoom({
    server,
    room: roomId,
    pin,
    displayName,
    role,
    debug,
    ...(admission === 'ticket' ? { token: ticket, id: ticket } : {}),
  });
  room = r;
  denied = admission === 'ticket';
  r.on('state', (s) => onState(r, s));
  // Shows up in Playwright traces when a test fails.
  r.on('warning', (w) => console.warn('[guest]', w));
  r.on('participants', (list) => {
    renderParticipants(list);
    if (r.state.state === 'joined') setStatus(joinedStatus(r));
  });
  r.on('trackAdded', ({ participantId, track, stream }) => {
    const video = videoFor(participantId);
    if (video.srcObject !== stream) video.srcObject = stream;
    if (track.kind === 'video') watchFirstFrame(video);
  });
  try {
    await r.join(localStream);
    window.guestTimings.joinedAt = performance.now();
  } catch {
    // onState shows why.
  }
}

/** After a lobby wait, a 433 from the room means the host said no. */
let denied = false;

/** Waits in the lobby when there is one. 'ticket': join with the ticket; 'direct': no lobby. */
async function admit(pin: string): Promise<'ticket' | 'direct' | 'stop'> {
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await waitInLobby({
        server,
        room: roomId,
        pin,
        displayName,
        role,
        ticket,
        onWaiting: () => {
          window.guestStates.push('lobby');
          setStatus('Please wait, the host will let you in soon.');
        },
      });
      if (outcome === 'released') return 'ticket';
      if (outcome === 'ended') {
        window.guestStates.push('left:room-destroyed');
        setStatus('The meeting has ended');
        return 'stop';
      }
      if (!lobbyRequired) return 'direct';
      // The host has not opened the meeting yet: knock again shortly (bounded: ~10 minutes).
      setStatus('Waiting for the host to open the meeting.');
      if (attempt > 300) throw new Error('gave up');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } catch (err) {
      const wrongPin = (err as { reason?: string }).reason === 'wrong-pin';
      window.guestStates.push(wrongPin ? 'failed:wrong-pin' : 'failed:error');
      setStatus(wrongPin ? 'Wrong PIN. Check the PIN and try again.' : 'Could not reach the meeting server');
      if (wrongPin) {
        form.hidden = false;
        enableForm();
        pinInput.select();
      }
      return 'stop';
    }
  }
}

function onState(r: JanusRoom, s: StateChange): void {
  if (room !== r) return;
  window.guestStates.push(s.reason ? `${s.state}:${s.reason}` : s.state);
  switch (s.state) {
    case 'connecting':
      setStatus('Connecting…');
      return;
    case 'joined':
      form.hidden = true;
      controls.hidden = false;
      setStatus(joinedStatus(r));
      return;
    case 'reconnecting':
      setStatus('Connection lost. Reconnecting…');
      return;
    case 'left':
    case 'failed':
      controls.hidden = true;
      videos.replaceChildren();
      setStatus(endMessage(s));
      if (s.reason === 'wrong-pin' && !denied) {
        form.hidden = false;
        enableForm();
        pinInput.select();
      }
      return;
    default:
      return;
  }
}

function joinedStatus(r: JanusRoom): string {
  const others = r.participants();
  if (role === 'host') return others.length > 0 ? 'In the meeting' : 'Waiting for others to join';
  return others.some((p) => p.role === 'host') ? 'In the meeting' : 'Waiting for the host';
}

function endMessage(s: StateChange): string {
  if (s.reason === 'wrong-pin' && denied) return 'The host did not let you in to this meeting.';
  switch (s.reason) {
    case 'wrong-pin':
      return 'Wrong PIN. Check the PIN and try again.';
    case 'kicked':
      return 'You were removed from the meeting';
    case 'room-destroyed':
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

function enableForm(): void {
  form.querySelectorAll('input, button').forEach((el) => ((el as HTMLInputElement).disabled = false));
}

function renderParticipants(list: Participant[]): void {
  const ids = new Set(list.map((p) => p.id));
  for (const fig of [...videos.querySelectorAll<HTMLElement>('figure')]) {
    if (!ids.has(fig.dataset.participantId ?? '')) fig.remove();
  }
  for (const p of list) {
    const fig = figureFor(p.id);
    const caption = fig.querySelector('figcaption');
    if (caption) caption.textContent = `${p.displayName} (${p.role})${p.hasVideo ? '' : ', no video'}`;
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

muteBtn.addEventListener('click', () => {
  if (!room) return;
  const mute = room.isAudioEnabled;
  room.setAudioEnabled(!mute);
  muteBtn.setAttribute('aria-pressed', String(mute));
  muteBtn.textContent = mute ? 'Unmute microphone' : 'Mute microphone';
});
cameraBtn.addEventListener('click', () => {
  if (!room) return;
  const off = room.isVideoEnabled;
  room.setVideoEnabled(!off);
  cameraBtn.setAttribute('aria-pressed', String(off));
  cameraBtn.textContent = off ? 'Turn camera on' : 'Turn camera off';
});
leaveBtn.addEventListener('click', () => void room?.leave());
