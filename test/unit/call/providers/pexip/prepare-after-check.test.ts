/**
 * Where the call window shows the device check first, the room is readied only when the
 * host presses Join: against the Pexip double, no request_token (no host PIN sent, no
 * participant in the conference, no token that could expire while the clinician checks the
 * headset) until the window's first prepare; and none at all when the window is closed on
 * the check screen. Without the check (skip), preparing starts at open, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallSession } from '../../../../../call/main/call-session';
import { createPexipProvider } from '../../../../../call/providers/pexip/main/pexip-provider';
import { createSmsSender } from '../../../../../call/main/sms-gateway';
import { nullLogger } from '../../../../../main/log/logger';
import { startPexip, type PexipHandle } from '../../../../stack/pexip';

let pexip: PexipHandle;
const hostPin = '73920518';
let rooms = 0;

beforeAll(async () => {
  pexip = await startPexip();
});
afterAll(() => pexip?.stop());

function open(prepareAtOpen: boolean | undefined) {
  const alias = `vmr-check-${++rooms}@${pexip.domain}`;
  pexip.addRoom({ alias, hostPin, guestPin: '26481937' });
  const session = createCallSession({
    meeting: { id: '00000000-0000-4000-8000-000000000003', subject: 'Invented device check', guestPin: '26481937' },
    room: createPexipProvider({ nodeUrl: pexip.url, fetch, timeoutMs: 3000, log: nullLogger }).open({ id: alias, uri: alias, hostPin }),
    guestRoom: { provider: 'pexip', nodeUrl: pexip.url, alias },
    displayName: 'Dr Example',
    ...(prepareAtOpen === undefined ? {} : { prepareAtOpen }),
    invitationBaseUrl: 'https://guest.example.org/',
    emit: () => undefined,
    openExternal: async () => undefined,
    sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
    log: nullLogger,
    onEnded: () => undefined,
  });
  const tokenRequests = () => pexip.requestLog.filter((e) => e.path.endsWith('/request_token') && e.path.includes(encodeURIComponent(alias))).length;
  return { alias, session, tokenRequests };
}

describe('preparing the room after the device check', () => {
  it('sends the host PIN only at the first prepare, then rejoins as usual', async () => {
    const { alias, session, tokenRequests } = open(false);
    // The check screen: the ticket is there, the node has heard nothing.
    expect(session.ticket()).toMatchObject({ provider: 'pexip' });
    expect(session.phase).toBe('preparing');
    await new Promise((resolve) => setImmediate(resolve));
    expect(tokenRequests()).toBe(0);
    expect(pexip.participants(alias)).toEqual([]);

    const first = await session.prepare();
    expect(first.provider).toBe('pexip');
    expect(session.phase).toBe('ready');
    expect(tokenRequests()).toBe(1);
    expect(pexip.participants(alias)).toHaveLength(1);

    // A rejoin prepares afresh, as it always did.
    await session.prepare();
    expect(tokenRequests()).toBe(2);
    await session.leave();
  });

  it('never asks the node when the window is closed on the check screen', async () => {
    const { alias, session, tokenRequests } = open(false);
    session.windowClosed(true);
    await expect.poll(() => session.phase).toBe('ended');
    expect(tokenRequests()).toBe(0);
    expect(pexip.participants(alias)).toEqual([]);
  });

  it('a wrong PIN found at the first prepare is said once and not asked again', async () => {
    const alias = `vmr-check-wrong-${++rooms}@${pexip.domain}`;
    pexip.addRoom({ alias, hostPin: '11112222', guestPin: '33334444' });
    const session = createCallSession({
      meeting: { id: '00000000-0000-4000-8000-000000000004', subject: 'Invented wrong PIN', guestPin: '33334444' },
      room: createPexipProvider({ nodeUrl: pexip.url, fetch, timeoutMs: 3000, log: nullLogger }).open({ id: alias, uri: alias, hostPin }),
      guestRoom: { provider: 'pexip', nodeUrl: pexip.url, alias },
      displayName: 'Dr Example',
      prepareAtOpen: false,
      invitationBaseUrl: '',
      emit: () => undefined,
      openExternal: async () => undefined,
      sms: createSmsSender({ gatewayUrl: '', timeoutMs: 1000 }),
      log: nullLogger,
      onEnded: () => undefined,
    });
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    await expect(session.prepare()).rejects.toMatchObject({ code: 'host-pin-wrong' });
    expect(pexip.requestLog.filter((e) => e.path.endsWith('/request_token') && e.path.includes(encodeURIComponent(alias)))).toHaveLength(1);
    expect(session.phase).toBe('failed');
  });

  it('without the check, preparing starts at open (the window joins at once)', async () => {
    const { session, tokenRequests } = open(undefined);
    await expect.poll(tokenRequests).toBe(1);
    await session.prepare();
    expect(tokenRequests()).toBe(1);
    await session.leave();
  });
});
