/**
 * Hardening applied to every webContents (from `app.on('web-contents-created')`): the
 * console is a single-page app on `app://console`, so it never navigates, never opens a
 * window and never attaches a <webview>. A link the user clicks (target=_blank or
 * window.open) goes to the system browser through the allowlist guard, or nowhere.
 *
 * Plain TypeScript (Electron only as a type): tests drive it with a small fake.
 */
import type { Event, HandlerDetails, WebContents, WindowOpenHandlerResponse } from 'electron';
import type { Logger } from '../log/logger';
import type { ExternalOpener } from '../platform/open-external';

/** What hardenWebContents needs from a WebContents (a structural subset, for tests). */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface HardenDeps {
  external: Pick<ExternalOpener, 'isAllowed' | 'open'>;
  log: Logger;
}

export interface WindowOpenDecision {
  response: WindowOpenHandlerResponse;
  /** True when the URL should go to the system browser. */
  openExternally: boolean;
}

/** window.open and target=_blank: always denied in the app; allowlisted URLs go outside. */
export function decideWindowOpen(url: string, isAllowed: (url: string) => boolean): WindowOpenDecision {
  return { response: { action: 'deny' }, openExternally: isAllowed(url) };
}

/** Redirects are refused unless they stay in the same document (the protocol never redirects). */
export function shouldCancelRedirect(details: { isSameDocument?: boolean }): boolean {
  return details.isSameDocument !== true;
}

export function hardenWebContents(contents: HardenableContents, deps: HardenDeps): void {
  const { external, log } = deps;

  // Cross-document navigation of the main frame or any sub-frame: never. In-page (hash,
  // pushState) navigation does not emit these events and stays possible.
  contents.on('will-navigate', (event: Event) => {
    event.preventDefault();
    log.warn('navigation: blocked a navigation');
  });
  contents.on('will-frame-navigate', (event: Event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event: Event<{ isSameDocument: boolean }>) => {
    if (shouldCancelRedirect(event)) {
      event.preventDefault();
      log.warn('navigation: blocked a redirect');
    }
  });
  contents.on('will-attach-webview', (event: Event) => {
    event.preventDefault();
    log.warn('navigation: blocked a webview');
  });

  contents.setWindowOpenHandler((details: HandlerDetails) => {
    const decision = decideWindowOpen(details.url, (url) => external.isAllowed(url));
    if (decision.openExternally) {
      external.open(details.url).catch((error: unknown) => log.warn('navigation: could not open a link externally', error));
    } else {
      log.warn('navigation: blocked a window.open');
    }
    return decision.response;
  });
}
