/**
 * The end screen's decisions, apart from its markup: how the call ended, whether the devices
 * the next call would use are still there (then it joins without the device check), and a
 * follow-up's times.
 */
import type { CallDevices } from '../common/call-contract';

/**
 * Why the call is over, from the client's last state (call-client.ts's CallStateChange; its
 * reasons are the EndReason there); null while it is not over. Typed loosely so this module
 * needs no DOM types (unit-tested under Node).
 */
export function endReasonOf<R extends string>(state: { state: string; reason?: R | undefined }): R | 'user-left' | 'error' | null {
  if (state.state === 'left') return state.reason ?? 'user-left';
  if (state.state === 'failed') return state.reason ?? 'error';
  return null;
}

/** The part of MediaDeviceInfo this needs (enumerateDevices' answer). */
export interface DeviceInfo {
  kind: string;
  deviceId: string;
}

/**
 * The devices are unchanged when each remembered camera, microphone and speaker is still
 * present, and where none is remembered (the system's default) there still is one of its
 * kind (a speaker may be absent: the system plays where it can). Otherwise the next call
 * shows the device check, as a first call does.
 */
export function devicesUnchanged(prefs: CallDevices, devices: readonly DeviceInfo[]): boolean {
  const has = (kind: string, id: string | undefined) =>
    id ? devices.some((d) => d.kind === kind && d.deviceId === id) : devices.some((d) => d.kind === kind);
  const speakerOk = !prefs.speaker || prefs.speaker === 'default' || devices.some((d) => d.kind === 'audiooutput' && d.deviceId === prefs.speaker);
  return has('videoinput', prefs.camera) && has('audioinput', prefs.microphone) && speakerOk;
}

/** "Meet now" starts at the current minute: VDX keeps whole minutes, and a start in the past is refused. */
export function meetNowStart(now: Date): string {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
}

/** A booking's end from its start and length. */
export function endAfter(startIso: string, minutes: number): string {
  return new Date(Date.parse(startIso) + minutes * 60_000).toISOString();
}
