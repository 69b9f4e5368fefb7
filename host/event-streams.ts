/**
 * The browser host's event streams (Server-Sent Events over a streamed response), one per
 * open window, each tied to the credential that opened it. They stand in for Electron's
 * `webContents.send`, which reaches exactly one window that exists; here a stream outlives
 * nothing on its own, so it is held to its credential:
 *  - an event goes only to the streams of its kind whose credential is still live;
 *  - revoking credentials (the call is over) ends their streams at once, so a window of an
 *    earlier call, or whoever copied its credential, hears nothing of the next call.
 */
import type { ServerResponse } from 'node:http';
import type { WindowKind } from '../preload/contract';
import type { WindowGrant } from './access';

export interface EventStreams {
  /** Answers `res` as an event stream for the window that holds `grant`. */
  open(res: ServerResponse, grant: WindowGrant): void;
  /** Sends an event to every live window of `kind`. */
  push(kind: WindowKind, event: string, payload: unknown): void;
  /** Ends every stream opened with one of these credentials. */
  end(credentials: Iterable<string>): void;
  /** Ends every stream (the host stops). */
  endAll(): void;
  /** Open streams of a kind. */
  count(kind: WindowKind): number;
}

export function createEventStreams(opts: {
  /** The credential is still live and of this kind (asked before each event). */
  isLive(credential: string, kind: WindowKind): boolean;
  /** A stream of `kind` closed (either side); `remaining` of that kind are still open. */
  onClosed?(kind: WindowKind, remaining: number): void;
}): EventStreams {
  const streams = new Map<ServerResponse, WindowGrant>();
  const count = (kind: WindowKind) => [...streams.values()].filter((grant) => grant.kind === kind).length;

  return {
    open(res, grant) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.write(': connected\n\n');
      streams.set(res, grant);
      res.on('close', () => {
        if (!streams.delete(res)) return;
        opts.onClosed?.(grant.kind, count(grant.kind));
      });
    },
    push(kind, event, payload) {
      const data = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const [res, grant] of streams) {
        if (grant.kind === kind && !res.writableEnded && opts.isLive(grant.credential, kind)) res.write(data);
      }
    },
    end(credentials) {
      const ending = new Set(credentials);
      for (const [res, grant] of streams) if (ending.has(grant.credential)) res.end();
    },
    endAll() {
      for (const res of streams.keys()) res.end();
    },
    count,
  };
}
