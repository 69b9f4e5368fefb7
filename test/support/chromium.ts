/**
 * How tests and benchmarks launch Chromium here: Debian's build (Playwright's own browser
 * download is not possible on this machine), headless, with a synthetic camera and
 * microphone for calls, and without the background requests that a closed network refuses.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/**
 * The synthetic camera's frame rate in tests: 15 (Chromium's fake device gives 20 by
 * default). Every call spec runs three Chromiums encoding and decoding this video on 2 cores;
 * 15 is still three times the call window's "poor video" threshold (call/window/quality.ts).
 */
export const TEST_CAMERA_FPS = 15;

export function chromiumLaunchOptions(opts: { trustSpki?: string; cameraFps?: number } = {}): LaunchOptions {
  const executablePath = chromiumPath();
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      // Trust exactly one server key (the test IdP's, from the run's CA) rather than
      // ignoring certificate errors everywhere.
      ...(opts.trustSpki ? [`--ignore-certificate-errors-spki-list=${opts.trustSpki}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--use-fake-device-for-media-stream=fps=${opts.cameraFps ?? TEST_CAMERA_FPS}`,
      '--use-fake-ui-for-media-stream',
      // Chromium leaves loopback out of its ICE candidates by default; the Pexip double's
      // media relay (werift) listens on 127.0.0.1 only, so calls to it need this.
      '--allow-loopback-in-peer-connection',
      // Network rule (checked with tcpdump): the flags above still let Chromium look up
      // Google hosts (autofill on PIN fields, accounts, component updates). Fail every name
      // lookup except loopback and the run's own Janus namespace.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 10.77.*',
      // WebRTC's mDNS candidate names make Chromium join 224.0.0.251 on every interface.
      // Chromium keeps only the last --disable-features, so this repeats the network-related
      // entries of Playwright's own list that it replaces.
      '--disable-features=WebRtcHideLocalIpsWithMdns,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying,PreconnectToSearch,AimEnabled',
    ],
  };
}
