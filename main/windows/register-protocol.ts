/**
 * Electron wiring for `app://console/...`: the scheme registration (before `ready`) and the
 * handler (after). Every decision is in protocol.ts; this only reads the file it names.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Logger } from '../log/logger';
import { APP_SCHEME } from './app-origin';
import { APP_SCHEME_PRIVILEGES, resolveAppRequest, securityHeaders } from './protocol';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

export interface AppProtocolOptions {
  /** Absolute path of the renderer build (out/renderer). */
  rootDir: string;
  csp: string;
  log: Logger;
}

/** Serves the renderer build on the default session. Returns a function that unregisters it. */
export function handleAppProtocol(options: AppProtocolOptions): () => void {
  const { rootDir, csp, log } = options;
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveAppRequest(request.method, request.url, rootDir, { csp });
    if (answer.status !== 200 || !answer.filePath) {
      log.warn(`protocol: refused a request (${answer.status})`);
      return new Response(null, { status: answer.status, headers: answer.headers });
    }
    try {
      const body = await readFile(answer.filePath);
      return new Response(body, { status: 200, headers: answer.headers });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') log.error('protocol: could not read a renderer file', error);
      return new Response(null, {
        status: 404,
        headers: { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  });
  return () => protocol.unhandle(APP_SCHEME);
}
