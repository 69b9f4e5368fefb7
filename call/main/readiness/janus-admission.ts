/**
 * A Janus site's `admission` step: on the room guard's test room (IT's `janusTestRooms`, the
 * guard's GUARD_TEST_ROOM), the whole way a clinician's console gets into a room:
 *   1. the test room's host PIN buys a host session from the guard (its attempt limits count
 *      this like any host PIN);
 *   2. `prepare` makes the guard store a fresh token in Janus and tell the Janus room's id;
 *   3. with that token, Janus opens a session over its WebSocket, the VideoRoom plugin attaches
 *      and the host joins as a publisher (no media: joining is what admission decides);
 *   4. the host removes its own feed through the guard (which kicks it in Janus, revokes the
 *      token and ends the Janus session with it) and gives the host session back.
 * Step 4 runs whatever happened, so a check leaves no token behind in Janus.
 *
 * The Janus half speaks the Janus WebSocket protocol directly (`ws`, the WebSocket library
 * Node has no built-in for in Node 20): four requests, no library state to load in main.
 * Nothing here is logged, and no row carries the PIN, the session, the token or the room id.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { JanusTestRoom } from '../../../main/settings/settings';
import { UserFacingError } from '../../../main/core/errors';
import { createGuardClient, type GuardClient } from '../../providers/janus/main/guard-client';
import { errorCode, isTimeout, rowsFor, type Row } from './rows';

type Rows = ReturnType<typeof rowsFor>;

/** What the host's console calls itself in the test room (the guard's roster; nobody sees it). */
const CHECK_NAME = 'Readiness check';

export async function admissionStep(
  rows: Rows,
  room: JanusTestRoom,
  opts: { guardUrl: string; janusUrl: string; fetch: typeof fetch; timeoutMs: number },
): Promise<Row> {
  const guard = createGuardClient({ guardUrl: opts.guardUrl, room: room.room, fetch: opts.fetch, timeoutMs: opts.timeoutMs });
  let session: string;
  try {
    session = await guard.hostSession(room.hostPin);
  } catch (error) {
    return guardRefusal(rows, error, opts.timeoutMs);
  }
  let feedId: string | undefined;
  try {
    const prepared = await guard.prepare(session, CHECK_NAME);
    feedId = prepared.feedId;
    const joined = await joinJanus(opts.janusUrl, prepared, opts.timeoutMs);
    return joined === 'joined' ? rows.ok('admission', 'admitted') : rows.failed('admission', 'janus-refused', joined);
  } catch (error) {
    return guardRefusal(rows, error, opts.timeoutMs);
  } finally {
    await leave(guard, session, feedId);
  }
}

async function leave(guard: GuardClient, session: string, feedId: string | undefined): Promise<void> {
  if (feedId) await guard.kick(session, feedId).catch(() => undefined);
  await guard.release(session);
}

function guardRefusal(rows: Rows, error: unknown, timeoutMs: number): Row {
  if (error instanceof UserFacingError) {
    if (error.code === 'host-pin-wrong') return rows.failed('admission', 'test-room-pin-refused');
    if (error.code === 'room-not-found') return rows.failed('admission', 'test-room-not-found');
    if (error.code === 'room-locked-out') return rows.failed('admission', 'guard-slowed');
    if (error.code === 'conference-unreachable') {
      const cause = error.cause;
      if (cause === undefined) return rows.failed('admission', 'guard-slowed');
      return isTimeout(cause) ? rows.failed('admission', 'timeout', { ms: timeoutMs }) : rows.failed('admission', 'unreachable', { error: errorCode(cause) });
    }
    const status = error.info.params?.['status'];
    return rows.failed('admission', 'http-status', { status: typeof status === 'number' ? status : 0 });
  }
  return rows.failed('admission', 'unreachable', { error: errorCode(error) });
}

/**
 * Janus: create a session, attach the VideoRoom, join as a publisher, destroy the session.
 * 'joined', or what refused it (Janus's error code, as a parameter a ticket can quote).
 */
function joinJanus(url: string, prepared: { room: string; feedId: string; token: string }, timeoutMs: number): Promise<'joined' | { error: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'janus-protocol', { handshakeTimeout: timeoutMs });
    const pending = new Map<string, (answer: JanusMessage) => void>();
    let sessionId: number | undefined;
    let settled = false;
    const done = (result: 'joined' | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (sessionId !== undefined && ws.readyState === WebSocket.OPEN) send({ janus: 'destroy', session_id: sessionId }).catch(() => undefined);
      ws.close();
      resolve(result);
    };
    const timer = setTimeout(() => done({ error: 'timeout' }), timeoutMs * 2);
    const send = (message: Record<string, unknown>): Promise<JanusMessage> =>
      new Promise((answer) => {
        const transaction = randomBytes(9).toString('base64url');
        pending.set(transaction, answer);
        ws.send(JSON.stringify({ ...message, transaction, token: prepared.token }));
      });
    ws.on('message', (data) => {
      let message: JanusMessage;
      try {
        message = JSON.parse(String(data)) as JanusMessage;
      } catch {
        return done({ error: 'not-json' });
      }
      // An `ack` only says the plugin request was taken: its answer comes as an `event`.
      if (message.janus === 'ack' || typeof message.transaction !== 'string') return;
      pending.get(message.transaction)?.(message);
      pending.delete(message.transaction);
    });
    ws.on('error', (error) => done({ error: errorCode(error) }));
    ws.on('close', () => done({ error: 'closed' }));
    ws.on('open', () => {
      void (async () => {
        const created = await send({ janus: 'create' });
        if (created.janus !== 'success' || typeof created.data?.id !== 'number') return done(janusError(created));
        sessionId = created.data.id;
        const attached = await send({ janus: 'attach', session_id: sessionId, plugin: 'janus.plugin.videoroom' });
        if (attached.janus !== 'success' || typeof attached.data?.id !== 'number') return done(janusError(attached));
        const joined = await send({
          janus: 'message',
          session_id: sessionId,
          handle_id: attached.data.id,
          body: { request: 'join', ptype: 'publisher', room: prepared.room, id: prepared.feedId, display: CHECK_NAME, token: prepared.token },
        });
        const data = joined.plugindata?.data;
        if (data?.videoroom === 'joined') return done('joined');
        done(data?.error_code !== undefined ? { error: `videoroom-${data.error_code}` } : janusError(joined));
      })();
    });
  });
}

interface JanusMessage {
  janus?: string;
  transaction?: string;
  data?: { id?: unknown };
  error?: { code?: unknown };
  plugindata?: { data?: { videoroom?: string; error_code?: unknown } };
}

function janusError(message: JanusMessage): { error: string } {
  const code = message.error?.code;
  return { error: typeof code === 'number' ? `janus-${code}` : (message.janus ?? 'no-answer').slice(0, 40) };
}
