/**
 * Where the renderer lives: the privileged custom scheme `app://console/...`.
 *
 * Plain TypeScript (no Electron at runtime), shared by the protocol handler, the IPC sender
 * check, the permission handler and the browser host.
 *
 * Node's WHATWG URL gives `origin === 'null'` for schemes it does not know, so origins are
 * compared by protocol and host here, never through `URL.origin`.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The two pages the renderer build produces (out/renderer/index.html and call.html). */
export const APP_PAGES = { main: 'index.html', call: 'call.html' } as const;
export type AppPage = keyof typeof APP_PAGES;

export function appPageUrl(page: AppPage): string {
  return `${APP_ORIGIN}/${APP_PAGES[page]}`;
}

/** The URL, parsed, when it belongs to the app origin exactly (no credentials, no port). */
export function parseAppUrl(url: string | undefined | null): URL | undefined {
  if (typeof url !== 'string' || url.length === 0) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return undefined;
  if (parsed.host !== APP_HOST || parsed.port !== '') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed;
}

/** True when the URL (a page URL or a bare origin such as `app://console`) is on the app origin. */
export function isAppUrl(url: string | undefined | null): boolean {
  return parseAppUrl(url) !== undefined;
}
