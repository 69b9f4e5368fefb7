/**
 * What the device check says when getUserMedia fails (its DOMException names, as Chromium
 * and Electron throw them) and how loud the microphone meter shows a block of samples.
 */
import { describe, expect, it } from 'vitest';
import { HEARD_LEVEL, levelOf, mediaProblemOf } from '../../../../call/window/check-logic';

describe('mediaProblemOf', () => {
  it('tells a permission from a missing device from a device in use', () => {
    expect(mediaProblemOf({ name: 'NotAllowedError' })).toBe('denied');
    expect(mediaProblemOf({ name: 'SecurityError' })).toBe('denied');
    expect(mediaProblemOf({ name: 'NotFoundError' })).toBe('missing');
    expect(mediaProblemOf({ name: 'OverconstrainedError' })).toBe('missing');
    expect(mediaProblemOf({ name: 'NotReadableError' })).toBe('busy');
    expect(mediaProblemOf({ name: 'AbortError' })).toBe('busy');
  });

  it('says "failed" for anything else, including what is not an error at all', () => {
    expect(mediaProblemOf({ name: 'TypeError' })).toBe('failed');
    expect(mediaProblemOf(new Error('boom'))).toBe('failed');
    expect(mediaProblemOf(null)).toBe('failed');
    expect(mediaProblemOf('NotAllowedError')).toBe('failed');
  });
});

describe('levelOf', () => {
  it('is 0 for silence and for no samples, and stays within 0..1', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf([])).toBe(0);
    expect(levelOf(new Float32Array(512).fill(1))).toBe(1);
  });

  it('shows a normal speaking voice well above the "heard" floor, and hiss below it', () => {
    const tone = (amplitude: number) => Array.from({ length: 1024 }, (_, i) => amplitude * Math.sin((2 * Math.PI * i) / 48));
    expect(levelOf(tone(0.1))).toBeGreaterThan(0.2);
    expect(levelOf(tone(0.1))).toBeLessThan(0.5);
    expect(levelOf(tone(0.002))).toBeLessThan(HEARD_LEVEL);
    expect(levelOf(tone(0.02))).toBeGreaterThan(HEARD_LEVEL);
  });
});
