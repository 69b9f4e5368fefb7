/**
 * The call channels the check before joining and the mini view add, wired as main wires
 * them, against the Pexip double: `call.check` asks the meeting's own server (and says when
 * it is down); the window's "skip next time" decides whether the room is readied at open or
 * at Join; `call.miniView` reaches the window host's mini view only where there is one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { createCallChannels, type MiniViewControl } from '../../../../call/main/call-channels';
import { createJsonDevicePreferences } from '../../../../call/main/device-preferences';
import { createSmsSender } from '../../../../call/main/sms-gateway';
import { nullLogger } from '../../../../main/log/logger';
import { startPexip, type PexipHandle } from '../../../stack/pexip';
import { tempDir } from '../../../support/temp-dir';

let pexip: PexipHandle;
let rooms = 0;
beforeAll(async () => {
  pexip = await startPexip();
});
afterAll(() => pexip?.stop());

function setup(opts: { skipCheck?: boolean; miniView?: MiniViewControl; onEnded?: () => void } = {}) {
  const windowLog: string[] = [];
  const devices = createJsonDevicePreferences(join(tempDir('cc-channels-'), 'call-devices.json'));
  if (opts.skipCheck !== undefined) devices.set({ skipCheck: opts.skipCheck });
  const alias = `vmr-channels-${++rooms}@${pexip.domain}`;
  pexip.addRoom({ alias, hostPin: '64019283', guestPin: '57201846' });
  const meeting: BookedMeeting = {
    id: `00000000-0000-4000-8000-00000000010${rooms % 10}`,
    version: '1',
    shortId: 'M1',
    subject: 'Invented channel check',
    startTime: new Date().toISOString(),
    endTime: new Date(Date.now() + 3_600_000).toISOString(),
    joinOpensAt: new Date().toISOString(),
    room: { id: alias, uri: alias, guestPin: '57201846', hostPin: '64019283' },
  };
  const channels = createCallChannels({
    servers: [{ domain: pexip.domain, provider: 'pexip', url: pexip.url }],
    invitationBaseUrl: '',
    requestTimeoutMs: 3000,
    fetch,
    sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
    log: nullLogger,
    emit: (target, event, payload) => void windowLog.push(`${target}:${event}:${JSON.stringify(payload)}`),
    openExternal: async () => undefined,
    devices,
    ...(opts.miniView ? { miniView: opts.miniView } : {}),
    openWindow: async () => void windowLog.push('open'),
    closeWindow: () => void windowLog.push('close'),
    ...(opts.onEnded ? { onEnded: opts.onEnded } : {}),
  });
  const tokenRequests = () => pexip.requestLog.filter((e) => e.path.endsWith('/request_token') && e.path.includes(encodeURIComponent(alias))).length;
  return { channels, meeting, tokenRequests, windowLog, devices };
}

describe('call channels for the check and the mini view', () => {
  it('checks the meeting\'s server, and readies the room only at Join while the check shows', async () => {
    const { channels, meeting, tokenRequests } = setup();
    await channels.open(meeting, 'Dr Example');
    const check = channels.handlers['call.check'];
    expect(await check({}, { window: 'call' })).toEqual({ services: [{ service: 'conference-server', state: 'reachable' }] });
    pexip.setDown(true);
    try {
      expect(await check({}, { window: 'call' })).toEqual({ services: [{ service: 'conference-server', state: 'unreachable' }] });
    } finally {
      pexip.setDown(false);
    }
    expect(tokenRequests()).toBe(0);
    await channels.handlers['call.prepare']({}, { window: 'call' });
    expect(tokenRequests()).toBe(1);
    await channels.end();
  });

  it('tells main when the call is over (a sign-out may wait for it), once the host has left', async () => {
    let ended = 0;
    const { channels, meeting } = setup({ onEnded: () => (ended += 1) });
    await channels.open(meeting, 'Dr Example');
    await channels.handlers['call.prepare']({}, { window: 'call' });
    expect(channels.isActive()).toBe(true);
    expect(ended).toBe(0);
    await channels.handlers['call.leave']({}, { window: 'call' });
    expect(channels.isActive()).toBe(false);
    expect(ended).toBe(1);
  });

  it('readies the room at open where this workstation skips the check', async () => {
    const { channels, meeting, tokenRequests } = setup({ skipCheck: true });
    await channels.open(meeting, 'Dr Example');
    await expect.poll(tokenRequests).toBe(1);
    await channels.end();
  });

  it('hands the window\'s in-call state to the mini view, and says when there is none', async () => {
    const calls: string[] = [];
    const withMini = setup({ miniView: { allow: (a) => calls.push(`allow:${a}`), expand: () => calls.push('expand') } });
    await withMini.channels.open(withMini.meeting, 'Dr Example');
    expect(await withMini.channels.handlers['call.miniView']({ allowed: true }, { window: 'call' })).toEqual({ available: true });
    await withMini.channels.handlers['call.expand']({}, { window: 'call' });
    expect(calls).toEqual(['allow:true', 'expand']);
    await withMini.channels.end();

    const without = setup();
    await without.channels.open(without.meeting, 'Dr Example');
    expect(await without.channels.handlers['call.miniView']({ allowed: true }, { window: 'call' })).toEqual({ available: false });
    await without.channels.end();
    // No call: nothing to check.
    await expect(without.channels.handlers['call.check']({}, { window: 'call' })).rejects.toMatchObject({ code: 'no-call' });
  });
});

describe('the end screen\'s call window', () => {
  const asWindow = { window: 'call' as const };

  it('stays open after Leave (its end screen), starts the next call in the same window, and closes on Close', async () => {
    const first = setup();
    const { channels, windowLog } = first;
    await channels.open(first.meeting, 'Dr Example');
    await channels.handlers['call.prepare']({}, asWindow);
    await channels.handlers['call.leave']({}, asWindow);
    expect(windowLog).toEqual(['open']);
    expect(channels.windowMeeting()?.id).toBe(first.meeting.id);

    // The next patient, devices unchanged: no second window, the room readied at once.
    const second = setup();
    channels.next(second.meeting, 'Dr Example', { skipCheck: true });
    expect(windowLog).toEqual(['open', 'call:call.restart:{"skipCheck":true}']);
    await expect.poll(second.tokenRequests).toBe(1);
    expect(channels.isActive()).toBe(true);
    // A live call is not replaced from its own end screen.
    expect(() => channels.next(first.meeting, 'Dr Example', { skipCheck: false })).toThrow(expect.objectContaining({ code: 'call-in-progress' }));

    await channels.handlers['call.leave']({}, asWindow);
    await channels.handlers['call.close']({}, asWindow);
    expect(windowLog.at(-1)).toBe('close');
    channels.windowClosed();
    expect(channels.windowMeeting()).toBeNull();
    expect(() => channels.next(second.meeting, 'Dr Example', { skipCheck: true })).toThrow(expect.objectContaining({ code: 'no-call' }));
  });

  it('a sign-out closes a window that shows only its end screen', async () => {
    const { channels, meeting, windowLog } = setup();
    await channels.open(meeting, 'Dr Example');
    await channels.handlers['call.prepare']({}, asWindow);
    await channels.handlers['call.leave']({}, asWindow);
    await channels.end();
    expect(windowLog).toEqual(['open', 'close']);
  });

  it('Join in the day view while the end screen shows starts that call in the same window, with the check unless skipped', async () => {
    const { channels, meeting, windowLog } = setup();
    await channels.open(meeting, 'Dr Example');
    await channels.handlers['call.prepare']({}, asWindow);
    await channels.handlers['call.leave']({}, asWindow);
    const other = setup();
    await channels.open(other.meeting, 'Dr Example');
    expect(windowLog).toEqual(['open', 'call:call.restart:{"skipCheck":false}', 'open']);
    expect(other.tokenRequests()).toBe(0);
    await channels.end();
  });
});

