/**
 * The conference event stream (`GET …/events?token=`), Server-Sent Events as a Conferencing
 * Node sends them:
 *
 * - every message has an `event:` line (@pexip/infinity listens by name and ignores unnamed
 *   ones) and a non-empty JSON `data:` line (`null` where there is no payload: an empty data
 *   line makes the library drop the event);
 * - each (re)connect starts with participant_sync_begin, one participant_create per
 *   participant, participant_sync_end, then the conference state;
 * - a comment line every KEEP_ALIVE_MS keeps idle proxies from closing the stream.
 */
import type { ServerResponse } from 'node:http';
import { CORS_HEADERS } from './http';

export const KEEP_ALIVE_MS = 15_000;

export type SseEvent = [name: string, data: unknown];

export function formatSse(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
}

export class EventHub {
  /** Open streams per participant (a reconnect may briefly overlap the old stream). */
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private keepAlive: NodeJS.Timeout | undefined;

  attach(participantUuid: string, res: ServerResponse, initial: SseEvent[]): void {
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    // call() in @pexip/infinity resolves on EventSource.onopen: send the headers now.
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    let set = this.streams.get(participantUuid);
    if (!set) {
      set = new Set();
      this.streams.set(participantUuid, set);
    }
    set.add(res);
    res.on('close', () => {
      const s = this.streams.get(participantUuid);
      s?.delete(res);
      if (s && s.size === 0) this.streams.delete(participantUuid);
      this.updateKeepAlive();
    });
    res.write(initial.map(([name, data]) => formatSse(name, data)).join(''));
    this.updateKeepAlive();
  }

  send(participantUuid: string, name: string, data: unknown): void {
    const set = this.streams.get(participantUuid);
    if (!set) return;
    const text = formatSse(name, data);
    for (const res of set) res.write(text);
  }

  broadcast(name: string, data: unknown, except?: string): void {
    const text = formatSse(name, data);
    for (const [uuid, set] of this.streams) {
      if (uuid === except) continue;
      for (const res of set) res.write(text);
    }
  }

  /** Ends a participant's streams (after their `disconnect` event, or when they leave). */
  end(participantUuid: string): void {
    const set = this.streams.get(participantUuid);
    if (!set) return;
    this.streams.delete(participantUuid);
    for (const res of set) res.end();
    this.updateKeepAlive();
  }

  endAll(): void {
    for (const uuid of [...this.streams.keys()]) this.end(uuid);
  }

  private updateKeepAlive(): void {
    if (this.streams.size > 0 && !this.keepAlive) {
      this.keepAlive = setInterval(() => {
        for (const set of this.streams.values()) for (const res of set) res.write(': keep-alive\n\n');
      }, KEEP_ALIVE_MS);
      this.keepAlive.unref();
    } else if (this.streams.size === 0 && this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }
}
