import { describe, expect, it } from 'vitest';
import { devicesUnchanged, endAfter, endReasonOf, meetNowStart } from '../../../../call/window/end-screen';

const devices = [
  { kind: 'videoinput', deviceId: 'cam-a' },
  { kind: 'videoinput', deviceId: 'cam-b' },
  { kind: 'audioinput', deviceId: 'mic-a' },
  { kind: 'audiooutput', deviceId: 'default' },
  { kind: 'audiooutput', deviceId: 'speaker-a' },
];

describe('the end screen', () => {
  it('says why the call is over only once it is', () => {
    expect(endReasonOf({ state: 'joined' })).toBeNull();
    expect(endReasonOf({ state: 'reconnecting' })).toBeNull();
    expect(endReasonOf({ state: 'left', reason: 'kicked' })).toBe('kicked');
    expect(endReasonOf({ state: 'left' })).toBe('user-left');
    expect(endReasonOf({ state: 'failed' })).toBe('error');
    expect(endReasonOf({ state: 'failed', reason: 'server-unreachable' })).toBe('server-unreachable');
  });

  it('finds the devices unchanged only while each remembered one is still there', () => {
    expect(devicesUnchanged({ camera: 'cam-b', microphone: 'mic-a', speaker: 'speaker-a' }, devices)).toBe(true);
    expect(devicesUnchanged({ camera: 'cam-c', microphone: 'mic-a' }, devices)).toBe(false);
    expect(devicesUnchanged({ microphone: 'mic-gone' }, devices)).toBe(false);
    expect(devicesUnchanged({ speaker: 'speaker-gone' }, devices)).toBe(false);
    // Nothing remembered: the system's defaults, as long as there is a camera and a microphone.
    expect(devicesUnchanged({}, devices)).toBe(true);
    expect(devicesUnchanged({}, devices.filter((d) => d.kind !== 'videoinput'))).toBe(false);
    expect(devicesUnchanged({ speaker: 'default' }, devices.filter((d) => d.kind !== 'audiooutput'))).toBe(true);
    // The device list could not be read: a check rather than a call with the wrong camera.
    expect(devicesUnchanged({}, [])).toBe(false);
  });

  it('starts "meet now" at the current minute and ends a booking after its length', () => {
    expect(meetNowStart(new Date('2026-03-02T09:41:37.250Z'))).toBe('2026-03-02T09:41:00.000Z');
    expect(endAfter('2026-03-02T09:41:00.000Z', 45)).toBe('2026-03-02T10:26:00.000Z');
  });
});
