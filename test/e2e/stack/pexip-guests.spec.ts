/**
 * The Pexip double and the sandbox's guest page (Pexip's own client library in Chromium),
 * with no console: the test is the host, through the Client REST API (plain fetch: Node's
 * ESM loader cannot import @pexip/infinity-api's dist, which main gets through its bundle).
 *
 * Why this spec exists: the library hands participant events on in batches up to 50 ms late,
 * but a `disconnect` at once. A CI run refused a waiting relative just after an update about
 * them; the late update put "Please wait" back over "The host did not let you in".
 */
import { test, chromium, type Browser, type Page } from '@playwright/test';
import { expect } from '../expect';
import { addRandomRoom, startPexip, type PexipHandle, type PexipRoom } from '../../stack/pexip';
import type { GuestServer } from '../../stack/guest/build.mjs';
import { chromiumLaunchOptions } from '../../support/chromium';
import { closeGuests, enterPin, openGuest, startGuestPageOn, WAITING } from '../guest-steps';

/** What guest.ts puts on window for tests (the spec is type-checked without the DOM lib). */
interface GuestWindow {
  guestStates: string[];
}

const REFUSED = 'The host did not let you in to this meeting.';

test.describe.configure({ mode: 'serial' });

let pexip: PexipHandle;
let guests: GuestServer;
let browser: Browser;

test.beforeAll(async () => {
  // CORS for the guest page's origin only, as a real node's proxy allows its own web app.
  pexip = await startPexip({ corsOrigins: [] });
  guests = await startGuestPageOn({ pexip });
  browser = await chromium.launch(chromiumLaunchOptions());
});

// A test that failed half-way leaves no guest behind in a room (the others close their own).
test.afterEach(closeGuests);
test.afterAll(async () => {
  await browser?.close();
  await guests?.stop();
  await pexip?.stop();
});

const newRoom = () => addRandomRoom(pexip);

/** A host without media (as main is before the call window joins): guests wait in the lobby. */
async function hostToken(room: PexipRoom): Promise<string> {
  const res = await fetch(`${conferenceUrl(room)}/request_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', pin: room.hostPin },
    body: JSON.stringify({ display_name: 'Dr Example', call_tag: 'host', direct_media: false }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { token: string } }).result.token;
}

/** One host power on a participant (`mute`, `disconnect`, …), as the REST API takes it. */
async function hostAction(room: PexipRoom, token: string, uuid: string, action: string): Promise<number> {
  const res = await fetch(`${conferenceUrl(room)}/participants/${uuid}/${action}`, { method: 'POST', headers: { token } });
  await res.body?.cancel();
  return res.status;
}

const conferenceUrl = (room: PexipRoom) => `${pexip.url}/api/client/v2/conferences/${encodeURIComponent(room.alias)}`;

const guestAt = (room: PexipRoom, name: string) => openGuest(browser, guests.pageUrl({ provider: 'pexip', node: pexip.url, alias: room.alias, name, role: 'relative' }));

const statesOf = (page: Page) => page.evaluate(() => (globalThis as unknown as GuestWindow).guestStates);

test('a guest refused right after an update about them reads "not let in", and it stays', async () => {
  const room = newRoom();
  const token = await hostToken(room);
  const relative = await guestAt(room, 'Rel Example');
  await enterPin(relative, room.guestPin);
  await expect(relative.getByTestId('status')).toHaveText(WAITING);
  // The guest's own call set-up sends updates about them too: let those settle first, so
  // the one update in flight at the refusal is the test's.
  await expect.poll(() => pexip.participants(room.alias).find((p) => p.displayName === 'Rel Example')?.hasMedia).toBe(true);
  const uuid = pexip.participants(room.alias).find((p) => p.displayName === 'Rel Example')!.uuid;

  // An update about the guest (the host mutes them), then the refusal: both reach the page
  // within a few milliseconds, inside the library's 50 ms batch.
  expect(await hostAction(room, token, uuid, 'mute')).toBe(200);
  expect(await hostAction(room, token, uuid, 'disconnect')).toBe(200);

  await expect.poll(async () => (await statesOf(relative)).at(-1)).toBe('left:refused');
  // A timer set now on the page's own clock fires after any batch the library had pending.
  await relative.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  await expect(relative.getByTestId('status')).toHaveText(REFUSED);
  expect((await statesOf(relative)).slice(-2)).toEqual(['lobby', 'left:refused']);
  await relative.context().close();
});
