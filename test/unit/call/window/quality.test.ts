/** The call window's quality warning and active-speaker choice from getStats samples. */
import { describe, expect, test } from 'vitest';
import { activeSpeaker, judgeQuality, speechLevel, POOR_LOST_PER_SECOND, POOR_RTT_MS } from '../../../../call/window/quality';
import type { MediaStats } from '../../../../call/common/media-stats';

const sample = (over: Partial<MediaStats> = {}): MediaStats => ({
  id: 'p1',
  framesDecoded: 100,
  packetsLost: 0,
  packetsReceived: 1_000,
  roundTripTime: 0.02,
  bitrateKbps: 800,
  frameRate: 25,
  ...over,
});

describe('judgeQuality', () => {
  test('a healthy stream is not poor', () => {
    expect(judgeQuality(sample({ packetsLost: 3 }), sample()).poor).toBe(false);
  });
  test('packet loss since the previous sample above the limit is poor', () => {
    const q = judgeQuality(sample({ packetsLost: POOR_LOST_PER_SECOND + 1 }), sample());
    expect(q).toMatchObject({ poor: true, lost: POOR_LOST_PER_SECOND + 1 });
  });
  test('loss counted before the previous sample does not count again', () => {
    expect(judgeQuality(sample({ packetsLost: 500 }), sample({ packetsLost: 499 })).poor).toBe(false);
  });
  test('a long round trip is poor', () => {
    expect(judgeQuality(sample({ roundTripTime: (POOR_RTT_MS + 50) / 1000 }), sample()).poor).toBe(true);
  });
  test('frozen video is poor, but only once frames have flowed', () => {
    expect(judgeQuality(sample({ frameRate: 1, packetsReceived: 1_040 }), sample()).poor).toBe(true);
    expect(judgeQuality(sample({ frameRate: 0, framesDecoded: 0, packetsReceived: 1_040 }), sample({ framesDecoded: 0 })).poor).toBe(false);
  });
  test('a camera switched off (no video packets any more) is not poor', () => {
    expect(judgeQuality(sample({ frameRate: 0 }), sample()).poor).toBe(false);
    expect(judgeQuality(sample({ frameRate: undefined }), sample()).poor).toBe(false);
  });
});

describe('activeSpeaker', () => {
  test('the loudest above the floor speaks; silence means nobody', () => {
    expect(activeSpeaker([sample({ id: 'a', audioLevel: 0.1 }), sample({ id: 'b', audioLevel: 0.4 })])).toBe('b');
    expect(activeSpeaker([sample({ id: 'a', audioLevel: 0.001 })])).toBeNull();
  });

  test('speech between two samples counts even when the instant of sampling is quiet', () => {
    // A beep of 0.1 s at level 0.5 within the second, sampled in the silence after it.
    const before = { a: sample({ id: 'a', totalAudioEnergy: 1, totalSamplesDuration: 10 }) };
    const now = sample({ id: 'a', audioLevel: 0, totalAudioEnergy: 1 + 0.5 * 0.5 * 0.1, totalSamplesDuration: 11 });
    expect(speechLevel(now, before.a)).toBeCloseTo(Math.sqrt(0.025), 5);
    expect(activeSpeaker([now], before)).toBe('a');
  });

  test('a muted participant (no energy since the last sample) does not speak, whatever the last instant said', () => {
    const before = { a: sample({ id: 'a', totalAudioEnergy: 3, totalSamplesDuration: 10 }) };
    expect(activeSpeaker([sample({ id: 'a', audioLevel: 0.3, totalAudioEnergy: 3, totalSamplesDuration: 11 })], before)).toBeNull();
  });

  test('the one louder over the interval wins', () => {
    const before = { a: sample({ id: 'a', totalAudioEnergy: 0, totalSamplesDuration: 0 }), b: sample({ id: 'b', totalAudioEnergy: 0, totalSamplesDuration: 0 }) };
    const now = [sample({ id: 'a', audioLevel: 0.9, totalAudioEnergy: 0.01, totalSamplesDuration: 1 }), sample({ id: 'b', audioLevel: 0, totalAudioEnergy: 0.04, totalSamplesDuration: 1 })];
    expect(activeSpeaker(now, before)).toBe('b');
  });
});
