/**
 * The installed app's screen-share picker in main: what the call window is offered, that a
 * choice is good once and only briefly, and that the session's display-media handler shares
 * exactly the chosen source (nothing without a choice). desktopCapturer is the one fake: it
 * cannot run without Electron.
 */
import type { DesktopCapturerSource, SourcesOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { nullLogger } from '../../../main/log/logger';
import { CHOICE_TTL_MS, createScreenSources } from '../../../main/platform/screen-sources';
import { hardenSession, type HardenableSession } from '../../../main/windows/security';
import { FakeSession, fakeFrame } from '../shell/fake-electron';

/** What desktopCapturer.getSources answers: names are invented window titles. */
function source(id: string, name: string, thumbnail: string | null): DesktopCapturerSource {
  return {
    id,
    name,
    display_id: '',
    appIcon: null as never,
    thumbnail: {
      isEmpty: () => thumbnail === null,
      toJPEG: (quality: number) => Buffer.from(`${thumbnail}@${quality}`),
    } as never,
  };
}

function capturer(list: DesktopCapturerSource[]) {
  const asked: SourcesOptions[] = [];
  return { asked, getSources: async (options: SourcesOptions) => (asked.push(options), list) };
}

const windowA = source('window:4242:0', 'Invented record – Testperson Alfa', 'jpegA');
const screen1 = source('screen:0:0', 'Entire screen', 'jpegS');
const minimised = source('window:77:0', 'Minimised notes', null);

describe('screen sources for the picker', () => {
  it('offers screens first, then windows, with JPEG thumbnails as data URLs (none when the OS gave none)', async () => {
    const c = capturer([windowA, screen1, minimised]);
    const sources = await createScreenSources(c.getSources).list();
    expect(c.asked).toEqual([expect.objectContaining({ types: ['screen', 'window'], fetchWindowIcons: false })]);
    expect(sources.map((s) => [s.id, s.kind])).toEqual([
      ['screen:0:0', 'screen'],
      ['window:4242:0', 'window'],
      ['window:77:0', 'window'],
    ]);
    expect(sources[1]!.thumbnail).toBe(`data:image/jpeg;base64,${Buffer.from('jpegA@70').toString('base64')}`);
    expect(sources[2]!.thumbnail).toBe('');
  });

  it('a choice is taken once; an id that was not offered is refused without naming anything', async () => {
    const picker = createScreenSources(capturer([screen1, windowA]).getSources);
    await picker.list();
    expect(() => picker.choose('window:9999:0')).toThrow(UserFacingError);
    expect(() => picker.choose('window:9999:0')).toThrow(expect.objectContaining({ code: 'share-source-gone' }));
    picker.choose('window:4242:0');
    expect(picker.take()).toBe(windowA);
    expect(picker.take()).toBeUndefined();
  });

  it('a choice older than the time limit, or from before a new listing, is not used', async () => {
    let now = 1_000;
    const picker = createScreenSources(capturer([screen1]).getSources, () => now);
    await picker.list();
    picker.choose('screen:0:0');
    now += CHOICE_TTL_MS + 1;
    expect(picker.take()).toBeUndefined();

    picker.choose('screen:0:0');
    await picker.list();
    expect(picker.take()).toBeUndefined();
  });

  it('the session shares the chosen source, and nothing without a fresh choice', async () => {
    const picker = createScreenSources(capturer([screen1, windowA]).getSources);
    const session = new FakeSession();
    const callFrame = fakeFrame('app://console/call.html');
    hardenSession(session as unknown as HardenableSession, {
      kindOf: () => 'call',
      kindOfFrame: () => 'call',
      chooseDisplaySource: async () => picker.take(),
      log: nullLogger,
    });
    const ask = () =>
      new Promise((resolve) =>
        session.displayMediaRequestHandler!(
          { frame: callFrame, securityOrigin: 'app://console', userGesture: true, videoRequested: true, audioRequested: false },
          resolve,
        ),
      );
    expect(await ask()).toBeNull();
    await picker.list();
    picker.choose('window:4242:0');
    expect(await ask()).toEqual({ video: windowA });
    expect(await ask()).toBeNull();
  });
});
