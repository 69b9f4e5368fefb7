import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { createRouter, MAX_REQUEST_BYTES, type Handlers } from '../../../main/ipc/router';
import { createLogger } from '../../../main/log/logger';

const meetingId = '3f0c9a8e-2b7d-4c1e-9f6a-0d5b8e7c6a41';

function setup(overrides: Partial<Handlers> = {}) {
  const lines: string[] = [];
  const calls: string[] = [];
  const handlers = {
    'app.info': async () => ({ version: '1.0.0', host: 'browser', locale: 'en' }),
    'call.open': async (req: { meetingId: string }) => {
      calls.push(req.meetingId);
      return { done: true };
    },
    ...overrides,
  } as unknown as Handlers;
  return { router: createRouter(handlers, createLogger([(l) => lines.push(l)])), lines, calls };
}

describe('IPC router', () => {
  it('answers a valid request with its validated value', async () => {
    const { router, calls } = setup();
    expect(await router.handle('call.open', { meetingId }, { window: 'main' })).toEqual({ ok: true, value: { done: true } });
    expect(calls).toEqual([meetingId]);
  });

  it('refuses an unknown channel without calling anything', async () => {
    const { router } = setup();
    const result = await router.handle('fs.readFile', { path: '/etc/passwd' }, { window: 'main' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('refuses a channel from a window that may not use it', async () => {
    const { router, calls } = setup();
    const result = await router.handle('call.open', { meetingId }, { window: 'call' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('rejects an invalid payload with a clear error naming the field, and logs no value', async () => {
    const { router, calls, lines } = setup();
    const result = await router.handle('call.open', { meetingId: 'Test Patient One' }, { window: 'main' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad-request');
    expect(result.error.params).toEqual({ channel: 'call.open', fields: 'meetingId' });
    expect(calls).toEqual([]);
    expect(lines.join('\n')).not.toContain('Test Patient One');
    expect(JSON.stringify(result)).not.toContain('Test Patient One');
  });

  it('rejects extra fields (strict schemas)', async () => {
    const { router } = setup();
    const result = await router.handle('call.open', { meetingId, extra: 1 }, { window: 'main' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses an oversized payload before parsing it', async () => {
    const { router } = setup();
    const result = await router.handle('call.open', { meetingId: 'x'.repeat(MAX_REQUEST_BYTES + 1) }, { window: 'main' });
    expect(result).toEqual({ ok: false, error: { code: 'bad-request', params: { channel: 'call.open' } } });
  });

  it('passes a user-facing error through and hides anything else', async () => {
    const failing = setup({
      'call.open': async () => {
        throw new UserFacingError('not-open');
      },
    });
    expect(await failing.router.handle('call.open', { meetingId }, { window: 'main' })).toEqual({
      ok: false,
      error: { code: 'not-open' },
    });
    const crashing = setup({
      'call.open': async () => {
        throw new Error('ECONNRESET at https://vdx.invalid/?pin=1234');
      },
    });
    const result = await crashing.router.handle('call.open', { meetingId }, { window: 'main' });
    expect(result).toEqual({ ok: false, error: { code: 'internal' } });
    expect(crashing.lines.join('\n')).not.toContain('1234');
  });

  it('never lets an invalid response through to the renderer', async () => {
    const { router } = setup({ 'app.info': async () => ({ version: 1 }) as never });
    expect(await router.handle('app.info', {}, { window: 'main' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
