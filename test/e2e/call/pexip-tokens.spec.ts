/**
 * Pexip: host actions go on working while the session token is refreshed, with tokens as long
 * as a real node's. The double issues 1,000-character tokens (URL-safe base64 of role, alias,
 * expiry and participant id plus a signature) that change on every refresh_token, and here
 * they live 12 s, so @pexip/infinity in the call window refreshes every 4 s: three refreshes
 * pass in seconds. Each new token goes to main (call.sessionToken, up to 8 KiB), whose host
 * actions (admit, mute, lock, dial, end) must use it: the double refuses a token two
 * refreshes old.
 *
 * The node here answers CORS only for the console's and the guest page's origins, as a node
 * (or its reverse proxy) configured for its clients does: the console works, and a page from
 * any other origin is refused at the preflight.
 */
import type { Page } from '@playwright/test';
import type { Stack } from '../../stack/stack';
import { until } from '../../support/until';
import { expect, test } from '../fixtures';
import { signIn } from '../steps';
import { guestPageForSpec, dialInterpreterEndpoint, enterPin, guestUrl, hostMeeting, meetingOnNow, openGuest, WAITING, type OpenMeeting } from './call-steps';

test.use({ pexipTokenExpiresSeconds: 12 });
const guests = guestPageForSpec();
test.setTimeout(180_000);

/** The host's participant (the call window's media) on the node. */
async function hostUuid(stack: Stack, meeting: OpenMeeting): Promise<string> {
  return until(() => stack.pexip!.participants(meeting.uri).find((p) => p.role === 'chair' && p.hasMedia)?.uuid, { what: "the host's call", timeoutMs: 30_000 });
}

/** Until the host's token has been refreshed `more` more times; its length stays a real node's. */
async function refreshes(stack: Stack, host: string, more: number): Promise<void> {
  const from = stack.pexip!.tokenOf(host)!.refreshes;
  await until(() => (stack.pexip!.tokenOf(host)?.refreshes ?? 0) >= from + more, { what: `${more} token refreshes`, timeoutMs: 12_000 * more });
  expect(stack.pexip!.tokenOf(host)!.length).toBe(1000);
}

function dial(call: Page, stack: Stack, browser: Parameters<typeof openGuest>[0]): Promise<Page> {
  return dialInterpreterEndpoint(call, stack, browser, 'interpreter.tokens@relay.sandbox.test');
}

test('Pexip: admit, mute, lock, dial and end work after three refreshes of 1,000-character session tokens, with CORS for the console only', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  // The node's CORS answers the console's origin (the call window shares it) and the guest
  // page's, which the fixtures allowed as they opened, and no other.
  const origins = stack.pexip!.corsOrigins();
  expect(origins).toEqual(expect.arrayContaining([new URL(app.page.url()).origin, new URL(guests.url).origin]));
  test.info().annotations.push({ type: 'cors origins', description: origins === '*' ? '*' : origins.join(' ') });
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack, 'pexip');
  const foreign = await fetch(`${stack.pexip!.url}/api/client/v2/conferences/${encodeURIComponent(meeting.uri)}/request_token`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:9', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,pin' },
  });
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  const call = await hostMeeting(app, meeting);
  const host = await hostUuid(stack, meeting);
  expect(stack.pexip!.tokenOf(host)!.length).toBe(1000);
  await refreshes(stack, host, 3);

  // Admit: the patient waits (the console locked the meeting as the host joined) and is let in.
  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await enterPin(patient, meeting.guestPin);
  await expect(patient.getByTestId('status')).toHaveText(WAITING);
  await call.getByTestId('waiting-guest').getByRole('button', { name: 'Admit Pat Example' }).click();
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });

  // Mute for everyone, on the node.
  await refreshes(stack, host, 1);
  const patientTile = call.locator('[data-testid="remote-tile"][data-role="patient"]');
  await patientTile.getByRole('button', { name: 'Mute Pat Example for everyone' }).click();
  const patientId = (await patientTile.getAttribute('data-participant-id'))!;
  await expect.poll(() => stack.pexip!.participants(meeting.uri).find((p) => p.uuid === patientId)?.isMuted).toBe(true);

  // Unlock and lock again.
  await refreshes(stack, host, 1);
  await call.getByRole('button', { name: 'Unlock meeting' }).click();
  await expect.poll(() => stack.pexip!.locked(meeting.uri)).toBe(false);
  await call.getByRole('button', { name: 'Lock meeting' }).click();
  await expect.poll(() => stack.pexip!.locked(meeting.uri)).toBe(true);

  // Dial out: the interpreter's endpoint rings and is in the call.
  await refreshes(stack, host, 1);
  const endpoint = await dial(call, stack, browser);
  const state = () => endpoint.evaluate(() => (globalThis as unknown as { __endpoint: { state: string } }).__endpoint.state);
  await expect.poll(state, { timeout: 30_000 }).toBe('in-call');

  // End for everyone.
  await refreshes(stack, host, 1);
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: 'End for everyone' }).click();
  await expect(patient.getByTestId('status')).toHaveText('The meeting has ended');
  // The window stays for its end screen until it is closed.
  await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
  await closed;
  expect(stack.pexip!.participants(meeting.uri)).toEqual([]);
  stack.pexip!.setCorsOrigins('*');
});
