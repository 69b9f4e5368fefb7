/**
 * The VDX client against the real VDX sandbox, with real tokens from the test IdP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay, startOfDay } from '../../../common/days';
import { BookingError } from '../../../main/booking/booking-source';
import { createVdxSource, type TokenProvider } from '../../../main/booking/vdx-client';
import { nullLogger } from '../../../main/log/logger';
import { startStack, type Stack } from '../../stack/stack';

let stack: Stack;
let token: string;
const today = localDay(new Date());

beforeAll(async () => {
  stack = await startStack();
  token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
});
afterAll(() => stack?.stop());
afterEach(() => {
  stack.vdx.setFault(null);
  stack.vdx.setListForm(true);
});

function tokens(): TokenProvider & { calls: Array<boolean> } {
  const calls: boolean[] = [];
  return {
    calls,
    async getAccessToken(opts) {
      calls.push(opts?.forceRefresh ?? false);
      return token;
    },
  };
}

function source(timeoutMs = 5000, provider: TokenProvider = tokens()) {
  return createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: provider, log: nullLogger, timeoutMs });
}

describe('VDX client', () => {
  it("fetches the local day's meetings with their rooms and join windows", async () => {
    stack.vdx.clearRequestLog();
    const expected = stack.vdx.meetingsOn(today);
    expect(expected.length).toBeGreaterThan(0);
    const { meetings, invalid } = await source().fetchDay(today);
    expect(invalid).toEqual([]);
    expect(meetings.map((m) => m.id).sort()).toEqual(expected.map((m) => m.uuid).sort());
    for (const m of meetings) {
      const info = stack.vdx.schedulingInfo(m.id);
      expect(m.room?.id).toBe(info.provisionVmrId);
      expect(m.room?.guestPin).toBe(String(info.guestPin));
      expect(Date.parse(m.startTime) - Date.parse(m.joinOpensAt)).toBe(info.vmrAvailableBefore * 60_000);
    }
    const asked = stack.vdx.requestLog.find((r) => r.path === '/v2/meetings');
    expect(asked?.query).toMatch(/^\?from-start-time=.+&to-start-time=/);
    const rooms = stack.vdx.requestLog.find((r) => r.path === '/v2/scheduling-info');
    expect(rooms?.query).toMatch(/^\?from-start-time=.+&to-end-time=.+&provision-status=PROVISIONED_OK$/);
    expect(stack.vdx.requestCounts()['scheduling-info']).toBe(0);
  });

  it('asks per meeting where the server has no list form, with the same result', async () => {
    const withList = await source().fetchDay(today);
    stack.vdx.setListForm(false);
    stack.vdx.clearRequestLog();
    const without = await source().fetchDay(today);
    expect(without).toEqual(withList);
    expect(stack.vdx.requestCounts()['scheduling-info']).toBe(withList.meetings.length);
  });

  it('skips a meeting that fails validation and keeps the rest of the day', async () => {
    const all = stack.vdx.meetingsOn(today).length;
    stack.vdx.setFault('invalid-meeting', 'meetings');
    const { meetings, invalid } = await source().fetchDay(today);
    expect(invalid).toHaveLength(1);
    expect(meetings).toHaveLength(all - 1);
  });

  it.each([
    ['http500', 'server'],
    ['malformed-json', 'invalid-response'],
  ] as const)('turns %s into a %s BookingError', async (fault, kind) => {
    stack.vdx.setFault(fault, 'meetings');
    await expect(source().fetchDay(today)).rejects.toMatchObject({ name: 'BookingError', kind });
  });

  it('gives up on a server that does not answer', async () => {
    stack.vdx.setFault('timeout', 'meetings');
    await expect(source(1000).fetchDay(today)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('renews the token once on a 401, then reports the sign-in as refused', async () => {
    stack.vdx.setFault('unauthorized', 'meetings');
    const provider = tokens();
    await expect(source(5000, provider).fetchDay(today)).rejects.toMatchObject({ kind: 'unauthorized' });
    // The meeting list and the room list ask for a token each; only the refused one is renewed, once.
    expect(provider.calls.filter((forced) => forced)).toEqual([true]);
  });

  it('is rejected by the real API with a bad token', async () => {
    const bad: TokenProvider = { getAccessToken: async () => 'not-a-token' };
    await expect(source(5000, bad).fetchDay(today)).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it("keeps the room VDX assigned before setting it up for the user's own meeting on a later date (to invite to), never as a room to join", async () => {
    const day = addDays(today, 7);
    const start = startOfDay(day);
    start.setHours(10, 15);
    const nurse = 'nurse.invented@example.invalid';
    const own = stack.vdx.addMeeting({ organizerEmail: nurse, startTime: start, provisionStatus: 'AWAITS_PROVISION' });
    const others = stack.vdx.addMeeting({ organizerEmail: 'dr.invented@example.invalid', startTime: start, provisionStatus: 'AWAITS_PROVISION' });
    try {
      const info = stack.vdx.schedulingInfo(own.uuid);
      const fetched = await createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: tokens(), log: nullLogger, me: () => nurse }).fetchDay(day);
      const mine = fetched.meetings.find((m) => m.id === own.uuid)!;
      expect(mine.room).toBeNull();
      expect(mine.plannedRoom).toEqual({ id: info.provisionVmrId, uri: info.uriWithDomain, guestPin: String(info.guestPin), portalLink: info.portalLink });
      const theirs = fetched.meetings.find((m) => m.id === others.uuid)!;
      expect(theirs.room).toBeNull();
      expect(theirs).not.toHaveProperty('plannedRoom');
      // Nobody signed in: nobody's.
      const anonymous = await source().fetchDay(day);
      expect(anonymous.meetings.find((m) => m.id === own.uuid)).not.toHaveProperty('plannedRoom');
      // Once set up, the room is the one to join, and the planned one goes.
      stack.vdx.updateMeeting(own.uuid, { provisionStatus: 'PROVISIONED_OK' });
      const ready = (await createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: tokens(), log: nullLogger, me: () => nurse }).fetchDay(day)).meetings.find((m) => m.id === own.uuid)!;
      expect(ready.room?.id).toBe(info.provisionVmrId);
      expect(ready).not.toHaveProperty('plannedRoom');
    } finally {
      await stack.vdx.deleteMeeting(own.uuid);
      await stack.vdx.deleteMeeting(others.uuid);
    }
  });

  it('reports offline when nothing listens', async () => {
    const offline = createVdxSource({ baseUrl: 'http://127.0.0.1:9', tokens: tokens(), log: nullLogger });
    const error = await offline.fetchDay(today).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BookingError);
    expect((error as BookingError).kind).toBe('offline');
    expect((error as BookingError).message).not.toMatch(/127\.0\.0\.1/);
  });
});
