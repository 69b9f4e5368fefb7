/**
 * A guest at a meeting (patient, interpreter, relative): their own browser context, as
 * another person's browser, on a guest page (the sandbox's guest page, or Pexip's client page
 * of the stack specs), which asks for the meeting PIN. Said once for every spec.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startGuestPage, type GuestServer } from '../stack/guest/build.mjs';
import type { Stack } from '../stack/stack';
import { test } from './fixtures';

/** Guests' browser contexts still open: `closeGuests` (afterEach) closes them, so no guest outlives its test. */
const guestContexts = new Set<BrowserContext>();

/** Opens a guest's page at `url` in a context of its own. */
export async function openGuest(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  guestContexts.add(context);
  // A spec that closed it (or its browser) itself: nothing left to do for closeGuests.
  context.once('close', () => guestContexts.delete(context));
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Types the PIN (and the name, when the link did not prefill it) and presses Join. */
export async function enterPin(guest: Page, pin: string, name?: string): Promise<void> {
  if (name !== undefined) await guest.getByLabel('Your name').fill(name);
  await guest.getByLabel('Meeting PIN').fill(pin);
  await guest.getByRole('button', { name: 'Join the meeting' }).click();
}

/** What the guest page says while its guest waits in the lobby. */
export const WAITING = 'Please wait, the host will let you in soon.';

/**
 * Closes every guest's page (for afterEach). Each leaves its meeting first, as its Leave
 * button would: a page that just vanished would stay a participant until the server notices
 * (Pexip: until its token expires), and the next test would meet it in the room.
 */
export async function closeGuests(): Promise<void> {
  const open = [...guestContexts];
  guestContexts.clear();
  // Bounded: a page whose server is already gone (a test that stopped it) is closed anyway.
  const leave = (page: Page) =>
    Promise.race([
      page.evaluate(() => (globalThis as unknown as { guestLeave?: () => Promise<void> }).guestLeave?.()).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]);
  await Promise.all(open.flatMap((c) => c.pages().map(leave)));
  await Promise.all(open.map((c) => c.close()));
}

/**
 * The sandbox's guest page, started for this worker's stack: the Pexip node's CORS lets its
 * origin in, as a real node's proxy allows its own web app (no other page origin is allowed).
 */
export async function startGuestPageOn(stack: Pick<Stack, 'pexip'>): Promise<GuestServer> {
  const server = await startGuestPage();
  stack.pexip?.allowOrigin(new URL(server.url).origin);
  return server;
}

/**
 * The sandbox's guest page for one spec file: started before its first test, every guest of
 * a test closed after it (closeGuests), stopped after its last. The server it returns reads
 * the started page's address when used, so a spec keeps it in a constant.
 */
export function guestPageForSpec(): GuestServer {
  let server: GuestServer | undefined;
  test.beforeAll(async ({ stack }) => {
    server = await startGuestPageOn(stack);
  });
  test.afterEach(closeGuests);
  test.afterAll(async () => {
    await server?.stop();
  });
  const started = (): GuestServer => {
    if (!server) throw new Error('the guest page is started in beforeAll: use it inside a test');
    return server;
  };
  return {
    get url() {
      return started().url;
    },
    pageUrl: (q) => started().pageUrl(q),
    stop: () => started().stop(),
  };
}
