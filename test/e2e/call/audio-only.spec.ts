/**
 * A guest without video (no camera, or an audio-only call), on both conference servers: the
 * call window says "Audio only" on their tile (a picture will not come; not a frozen or
 * muted camera), offers the host only the audio control for them, and their sound arrives.
 * On Janus they still receive the clinician's picture; Pexip's audio-only call type receives
 * no video either (ClientCallType.Audio: "send and receive audio but not video").
 *
 * The guest page joins with `media=audio`: on Pexip with @pexip/infinity's audio-only call
 * type (its offer has no main video line; the double reports is_audio_only_call YES from it,
 * as a node does), on Janus publishing a microphone-only stream.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { signIn } from '../steps';
import { guestPageForSpec, consoleAudio, expectGrows, guestFramesFrom, guestUrl, hostMeeting, knockAndAdmit, meetingOnNow, openGuest, type Platform } from './call-steps';

const guests = guestPageForSpec();
test.describe.configure({ mode: 'serial' });

const tileOf = (call: Page, name: string) => call.getByTestId('remote-tile').filter({ hasText: name });

for (const platform of ['pexip', 'janus'] as const satisfies readonly Platform[]) {
  test(`${platform === 'pexip' ? 'Pexip' : 'Janus'}: a guest on audio only shows as "Audio only", with the audio control only, and is heard`, async ({ launchConsole, stack, browser }) => {
    const app = await launchConsole();
    await signIn(app, stack.idp.users[0]!);
    const meeting = meetingOnNow(stack, platform);
    const call = await hostMeeting(app, meeting);
    const patient = await openGuest(browser, `${guestUrl(guests, stack, meeting, 'Pat Example', 'patient')}&media=audio`);
    await knockAndAdmit(call, patient, meeting.guestPin, 'Pat Example');

    const tile = tileOf(call, 'Pat Example');
    await expect(tile).toHaveAttribute('data-media', 'audio-only', { timeout: 20_000 });
    await expect(tile.getByTestId('tile-media')).toHaveText('Audio only');
    await expect(tile.getByRole('button', { name: 'Mute Pat Example for everyone' })).toHaveCount(1);
    await expect(tile.getByRole('button', { name: 'Stop the video of Pat Example for everyone' })).toHaveCount(0);
    if (platform === 'pexip') {
      // What the node reports, from the guest's own offer.
      expect(stack.pexip!.participants(meeting.uri).find((p) => p.displayName === 'Pat Example')?.callType).toBe('audio');
    }

    // Their sound reaches the call window (and, on Janus, the clinician's picture reaches them).
    await expectGrows(() => consoleAudio(call, 'patient'));
    if (platform === 'janus') await expect.poll(async () => (await guestFramesFrom(patient)).some((f) => f > 0), { timeout: 30_000 }).toBe(true);
  });
}
