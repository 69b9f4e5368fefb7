/**
 * The call window's host channels through the real router and real Janus: only the call
 * window may use them, payloads are checked, a failure is a clear message, and the room
 * secret (host PIN) appears in no answer and no log line.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallHandlers, type CallHandlers } from '../../../main/conference/call-handlers';
import { createJsonDevicePreferences } from '../../../main/conference/device-preferences';
import { createScreenSources } from '../../../main/platform/screen-sources';
import type { Handlers } from '../../../main/ipc/router';
import { createRouter } from '../../../main/ipc/router';
import { createLogger } from '../../../main/log/logger';
import { createRoom, startJanus, type JanusHandle } from '../../stack/janus';
import { startSmsGateway, type SmsGatewayHandle } from '../../stack/sms/server';

let janus: JanusHandle;
let call: CallHandlers;
const lines: string[] = [];
const events: Array<{ event: string; payload: unknown }> = [];
const opened: string[] = [];
let closed = 0;
const secret = `host-${randomBytes(6).toString('hex')}`;
const guestPin = String(100_000 + (randomBytes(4).readUInt32BE() % 900_000));
let room: string;
let sms: SmsGatewayHandle;

beforeAll(async () => {
  sms = await startSmsGateway();
  janus = await startJanus();
  room = await createRoom(janus.httpUrl, { pin: guestPin, secret });
  call = createCallHandlers(baseOptions());
  call.begin({ subject: 'Check-up', room, guestPin, hostPin: secret });
});
afterAll(async () => {
  await call?.dispose();
  await janus?.stop();
  await sms?.stop();
});

function baseOptions(): Parameters<typeof createCallHandlers>[0] {
  return {
    serverUrl: janus.wsUrl,
    invitationBaseUrl: 'http://127.0.0.1:9/guest/',
    smsGatewayUrl: sms.url,
    requestTimeoutMs: 5_000,
    log: createLogger([(l) => lines.push(l)]),
    emit: (_target, event, payload) => events.push({ event, payload }),
    openExternal: async (url) => void opened.push(url),
    devices: createJsonDevicePreferences(join(mkdtempSync(join(tmpdir(), 'cc-devices-')), 'call-devices.json')),
    closeCallWindow: () => void closed++,
  };
}

function router() {
  return createRouter(call.handlers as unknown as Handlers, createLogger([(l) => lines.push(l)]));
}

describe('call host channels', () => {
  test('prepare answers a host token and nothing else', async () => {
    const result = await router().handle('call.prepare', {}, { window: 'call' });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(Object.keys((result as { value: object }).value)).toEqual(['token']);
  });

  test('the main window may not use host powers', async () => {
    const result = await router().handle('call.kick', { participantId: 'abc' }, { window: 'main' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('a participant id that is not an id is refused before Janus hears of it', async () => {
    const result = await router().handle('call.kick', { participantId: '../x"}' }, { window: 'call' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test('a refused host action is a clear message, and the secret is in no log line', async () => {
    const result = await router().handle('call.moderate', { participantId: 'nobody', mid: '0', muted: true }, { window: 'call' });
    expect(result).toMatchObject({ ok: false, error: { code: 'host-action-failed' } });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(guestPin);
    }
  });

  test('the invitation carries the guest PIN to the call window, and the e-mail goes through openExternal', async () => {
    const inv = await router().handle('call.invite', { role: 'interpreter', name: 'Ina Example', language: 'Arabic' }, { window: 'call' });
    expect(inv).toMatchObject({ ok: true, value: { pin: guestPin } });
    const value = (inv as { value: { link: string; mailto: string } }).value;
    expect(value.link).toContain(encodeURIComponent(room));
    expect(JSON.stringify(inv)).not.toContain(secret);
    await router().handle('call.inviteByEmail', { mailto: value.mailto }, { window: 'call' });
    expect(opened).toEqual([value.mailto]);
    const bad = await router().handle('call.inviteByEmail', { mailto: 'https://example.org/' }, { window: 'call' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test('an invitation goes through the SMS gateway, and neither number nor text reaches the log', async () => {
    const text = 'You are invited. Join here: http://127.0.0.1:9/guest/?room=x Meeting PIN: 123456';
    expect(await router().handle('call.inviteBySms', { to: '+45 12 34 56 78', text }, { window: 'call' })).toMatchObject({ ok: true });
    expect(sms.sent).toEqual([{ to: '+45 12 34 56 78', text }]);
    const bad = await router().handle('call.inviteBySms', { to: 'call me', text }, { window: 'call' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    for (const line of lines) {
      expect(line).not.toContain('12 34 56 78');
      expect(line).not.toContain('Meeting PIN');
    }
  });

  test('device choices are remembered, merged, and checked', async () => {
    expect(await router().handle('call.devices', {}, { window: 'call' })).toEqual({ ok: true, value: {} });
    await router().handle('call.setDevices', { camera: 'cam-1', speaker: 'spk-2' }, { window: 'call' });
    await router().handle('call.setDevices', { microphone: 'mic-3' }, { window: 'call' });
    expect(await router().handle('call.devices', {}, { window: 'call' })).toEqual({
      ok: true,
      value: { camera: 'cam-1', speaker: 'spk-2', microphone: 'mic-3' },
    });
    const bad = await router().handle('call.setDevices', { printer: 'x' }, { window: 'call' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test('screen sharing: without a picker of its own the browser asks; with one, only an offered source may be chosen', async () => {
    expect(await router().handle('call.shareSources', {}, { window: 'call' })).toEqual({ ok: true, value: { picker: false } });
    const noPicker = await router().handle('call.shareChoose', { sourceId: 'screen:0:0' }, { window: 'call' });
    expect(noPicker).toMatchObject({ ok: false, error: { code: 'share-no-picker' } });

    const picker = createScreenSources(async () => [
      { id: 'screen:0:0', name: 'Entire screen', display_id: '', appIcon: null as never, thumbnail: { isEmpty: () => true } as never },
    ]);
    const withPicker = createCallHandlers({ ...baseOptions(), screenSources: picker });
    withPicker.begin({ subject: 'Check-up', room, guestPin, hostPin: secret });
    try {
      const r = createRouter(withPicker.handlers as unknown as Handlers, createLogger([(l) => lines.push(l)]));
      expect(await r.handle('call.shareSources', {}, { window: 'main' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await r.handle('call.shareSources', {}, { window: 'call' })).toEqual({
        ok: true,
        value: { picker: true, sources: [{ id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: '' }] },
      });
      expect(await r.handle('call.shareChoose', { sourceId: 'javascript:alert(1)' }, { window: 'call' })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await r.handle('call.shareChoose', { sourceId: 'window:1:0' }, { window: 'call' })).toMatchObject({
        ok: false,
        error: { code: 'share-source-gone' },
      });
      expect(await r.handle('call.shareChoose', { sourceId: 'screen:0:0' }, { window: 'call' })).toEqual({ ok: true, value: { done: true } });
      expect(picker.take()?.id).toBe('screen:0:0');
    } finally {
      withPicker.end();
      await withPicker.dispose();
    }
  });

  test('end for all destroys the room and closes the call window; later host actions say there is no call', async () => {
    const result = await router().handle('call.end', {}, { window: 'call' });
    expect(result).toMatchObject({ ok: true });
    expect(closed).toBe(1);
    const after = await router().handle('call.kick', { participantId: 'abc' }, { window: 'call' });
    expect(after).toMatchObject({ ok: false, error: { code: 'no-call' } });
    for (const line of lines) expect(line).not.toContain(secret);
  });
});
