/**
 * The slice of janode (Meetecho's Node client for Janus; it ships no typings) that
 * main/conference uses: a WebSocket connection, a session, a raw plugin handle.
 */
declare module 'janode' {
  import type { EventEmitter } from 'node:events';

  export interface JanodeHandle extends EventEmitter {
    /** Sends `{janus: 'message', body}`; resolves with Janus's reply to the transaction. */
    message(body: Record<string, unknown>): Promise<unknown>;
    detach(): Promise<void>;
  }
  export interface JanodeSession extends EventEmitter {
    attach(opts: { id: string }): Promise<JanodeHandle>;
    destroy(): Promise<void>;
  }
  export interface JanodeConnection extends EventEmitter {
    create(keepaliveSeconds?: number): Promise<JanodeSession>;
    close(): Promise<void>;
  }
  const Janode: {
    connect(config: { address: { url: string } | Array<{ url: string }>; retry_time_secs?: number; max_retries?: number }): Promise<JanodeConnection>;
    Logger: { setLevel(level: 'none' | 'error' | 'warning' | 'info' | 'verbose' | 'debug'): string };
  };
  export default Janode;
}

/** janode's VideoRoom plugin: used by the tests to play a guest that joins without media. */
declare module 'janode/plugins/videoroom' {
  import type { EventEmitter } from 'node:events';
  export interface VideoRoomHandle extends EventEmitter {
    joinPublisher(opts: { room: string; feed?: string; display?: string; pin?: string; token?: string }): Promise<{ feed: string }>;
    leave(): Promise<unknown>;
  }
  const plugin: { id: string; Handle: unknown; EVENT: Record<string, string> };
  export default plugin;
}
