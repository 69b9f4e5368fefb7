/**
 * Participant tokens as a Conferencing Node hands them out: opaque, unguessable, valid for
 * `expires` seconds, replaced on every refresh_token.
 *
 * - URL-safe (base64url of 32 random bytes): @pexip/infinity puts the token unencoded into
 *   `/events?token=` and the sendBeacon release_token URL, where a `+` would become a space.
 * - The previous token stays valid for a short grace period after a refresh, because
 *   requests already in flight (and the open event stream) still carry it.
 * - A session whose token runs out without a refresh ends: the participant is disconnected
 *   ("Timer expired awaiting token refresh", a reason the library knows).
 */
import { randomBytes } from 'node:crypto';

/** How long a refreshed-away token is still accepted. [inferred: Pexip does not document the figure] */
export const PREVIOUS_TOKEN_GRACE_MS = 10_000;

export interface TokenSession {
  /** The room key the token belongs to (normalised alias). */
  readonly room: string;
  readonly participantUuid: string;
}

interface Session extends TokenSession {
  current: string;
  previous?: { token: string; until: number };
  expiresAt: number;
  timer?: NodeJS.Timeout;
}

export class TokenStore {
  private readonly byToken = new Map<string, Session>();
  private readonly byParticipant = new Map<string, Session>();

  constructor(
    private readonly expiresSeconds: number,
    private readonly onExpired: (session: TokenSession) => void,
  ) {}

  issue(room: string, participantUuid: string): string {
    const token = newToken();
    const session: Session = { room, participantUuid, current: token, expiresAt: 0 };
    this.byToken.set(token, session);
    this.byParticipant.set(participantUuid, session);
    this.arm(session);
    return token;
  }

  /** The session a token (current, or previous within its grace period) belongs to. */
  lookup(token: string | undefined): TokenSession | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s || Date.now() >= s.expiresAt) return undefined;
    if (token === s.current) return s;
    if (s.previous?.token === token && Date.now() < s.previous.until) return s;
    return undefined;
  }

  /** A new token for the session of `token`; the old one keeps working for the grace period. */
  refresh(token: string | undefined): { session: TokenSession; token: string } | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s || !this.lookup(token)) return undefined;
    if (s.previous) this.byToken.delete(s.previous.token);
    const old = s.current;
    s.previous = { token: old, until: Date.now() + PREVIOUS_TOKEN_GRACE_MS };
    s.current = newToken();
    this.byToken.set(s.current, s);
    this.arm(s);
    return { session: s, token: s.current };
  }

  revokeParticipant(participantUuid: string): void {
    const s = this.byParticipant.get(participantUuid);
    if (!s) return;
    clearTimeout(s.timer);
    this.byParticipant.delete(participantUuid);
    this.byToken.delete(s.current);
    if (s.previous) this.byToken.delete(s.previous.token);
  }

  revokeAll(): void {
    for (const s of this.byParticipant.values()) clearTimeout(s.timer);
    this.byParticipant.clear();
    this.byToken.clear();
  }

  private arm(s: Session): void {
    clearTimeout(s.timer);
    s.expiresAt = Date.now() + this.expiresSeconds * 1000;
    s.timer = setTimeout(() => {
      if (this.byParticipant.get(s.participantUuid) !== s) return;
      this.revokeParticipant(s.participantUuid);
      this.onExpired(s);
    }, this.expiresSeconds * 1000);
    s.timer.unref();
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}
