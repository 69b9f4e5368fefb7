/**
 * A JanusAdmin for tests and benches of the guard's PIN and knock limits, which never need
 * Janus: every room already exists and nobody is in any. Tests of what the guard does in
 * Janus run against Debian's real Janus (test/unit/conference/janus-guard.test.ts).
 */
import type { JanusAdmin } from '../../janus-guard/janus-admin';

export function idleJanus(): JanusAdmin {
  return {
    request: (body) => Promise.resolve(body.request === 'exists' ? { exists: true } : body.request === 'listparticipants' ? { participants: [] } : {}),
    addToken: () => Promise.resolve(),
    removeToken: () => Promise.resolve(),
    videoRoomHandles: () => Promise.resolve([]),
    destroySession: () => Promise.resolve(),
  };
}
