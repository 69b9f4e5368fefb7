/**
 * The booking API's answers (patients' names, PINs) stay out of any HTTP cache: every request
 * of the VDX client goes out with fetch's `cache: 'no-store'`, which a fetch implementation
 * shows on the wire as `Cache-Control: no-cache` (Fetch standard, HTTP-network-or-cache
 * fetch). Against the real VDX sandbox, which records that header, with Node's real fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../../../common/days';
import { createVdxSource } from '../../../main/booking/vdx-client';
import { nullLogger } from '../../../main/log/logger';
import { startStack, type Stack } from '../../stack/stack';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
});
afterAll(() => stack?.stop());

describe('VDX client and the HTTP cache', () => {
  it("sends every request of a day's sync with cache: no-store", async () => {
    stack.vdx.clearRequestLog();
    const source = createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: { getAccessToken: async () => token }, log: nullLogger, timeoutMs: 5000 });
    const { meetings } = await source.fetchDay(localDay(new Date()));
    expect(meetings.length).toBeGreaterThan(0);
    // The day's two list requests, and the per-meeting form where the list form is missing.
    stack.vdx.setListForm(false);
    try {
      await source.fetchDay(localDay(new Date()));
    } finally {
      stack.vdx.setListForm(true);
    }
    const log = stack.vdx.requestLog;
    expect(new Set(log.map((r) => r.route))).toEqual(new Set(['meetings', 'scheduling-info-list', 'scheduling-info']));
    expect(log.filter((r) => r.cacheControl !== 'no-cache')).toEqual([]);
  });

  it('records no such header for a request sent without it (the sandbox reports what came)', async () => {
    stack.vdx.clearRequestLog();
    const response = await fetch(`${stack.vdx.baseUrl}/v2/meetings`, { headers: { authorization: `Bearer ${token}` } });
    await response.body?.cancel();
    expect(stack.vdx.requestLog).toHaveLength(1);
    expect(stack.vdx.requestLog[0]!.cacheControl).toBeUndefined();
  });
});
