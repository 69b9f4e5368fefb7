/** The call window's quality warning and active-speaker choice from getStats samples. */
import { describe, expect, test } from 'vitest';
import { activeSpeaker, judgeQuality, POOR_LOST_PER_SECOND, POOR_RTT_MS, type StatsSample } from '../../../renderer/src/call/quality';

const sample = (over: Partial<StatsSample> = {}): StatsSample => ({
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
});
