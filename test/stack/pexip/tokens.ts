/**
 * Participant tokens as a Conferencing Node hands them out: opaque to clients, unguessable,
 * valid for `expires` seconds, a new one on every refresh_token.
 *
 * - Their form follows Pexip's documented example token (docs.pexip.com, Client REST API,
 *   request_token): URL-safe base64 of what the node needs (here: role, alias, expiry,
 *   participant id, issue time, a nonce) and a signature. Pexip's are long: 600 to 1,200
 *   characters here (`tokenLength`, default 1,000) [inferred: Pexip documents no length], so
 *   a client that caps them short breaks as it would on a real node. Nothing in them is a name.
 * - URL-safe: @pexip/infinity puts the token unencoded into `/events?token=` and the
 *   sendBeacon release_token URL, where a `+` would become a space.
 * - The previous token stays valid for a short grace period after a refresh, because
 *   requests already in flight (and the open event stream) still carry it.
 * - A session whose token runs out without a refresh ends: the participant is disconnected
 *   ("Timer expired awaiting token refresh", a reason the library knows).
 */
import { createHmac, randomBytes } from 'node:crypto';

/** How long a refreshed-away token is still accepted. [inferred: Pexip does not document the figure] */
export const PREVIOUS_TOKEN_GRACE_MS = 10_000;

export interface TokenSession {
  /** The room key the token belongs to (normalised alias). */
  readonly room: string;
  readonly participantUuid: string;
  /** HOST or GUEST (in the token, as Pexip's carries the role). */
  readonly role?: 'HOST' | 'GUEST';
}

export const MIN_TOKEN_LENGTH = 600;
export const MAX_TOKEN_LENGTH = 1200;

interface Session extends TokenSession {
  current: string;
  refreshes: number;
  previous?: { token: string; until: number };
  expiresAt: number;
  timer?: NodeJS.Timeout;
}

export class TokenStore {
  private readonly byToken = new Map<string, Session>();
  private readonly byParticipant = new Map<string, Session>();

  /** Signs tokens; a new key per node run. */
  private readonly key = randomBytes(32);

  constructor(
    private readonly expiresSeconds: number,
    private readonly onExpired: (session: TokenSession) => void,
    private readonly tokenLength = 1000,
  ) {
    if (!(tokenLength >= MIN_TOKEN_LENGTH && tokenLength <= MAX_TOKEN_LENGTH)) throw new Error(`tokenLength must be ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH}`);
  }

  issue(room: string, participantUuid: string, role?: 'HOST' | 'GUEST'): string {
    const session: Session = { room, participantUuid, ...(role ? { role } : {}), current: '', refreshes: 0, expiresAt: 0 };
    const token = this.newToken(session);
    session.current = token;
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
    s.current = this.newToken(s);
    s.refreshes++;
    this.byToken.set(s.current, s);
    this.arm(s);
    return { session: s, token: s.current };
  }

  /** Test introspection: a participant's token length and how often it was refreshed (never the token). */
  describe(participantUuid: string): { length: number; refreshes: number } | undefined {
    const s = this.byParticipant.get(participantUuid);
    return s ? { length: s.current.length, refreshes: s.refreshes } : undefined;
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

  /**
   * base64url(JSON claims, padded with a nonce to the length) + '.' + base64url(HMAC-SHA256).
   * The nonce's length is chosen so the token is exactly `tokenLength` long where base64 can
   * make that length (a base64url text is never 1 more than a multiple of 4), else 1 shorter.
   */
  private newToken(s: Pick<Session, 'room' | 'participantUuid' | 'role'>): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = { v: 2, role: s.role ?? 'GUEST', alias: s.room, participant_uuid: s.participantUuid, iat: now, exp: now + this.expiresSeconds, nonce: '' };
    const want = this.tokenLength - 1 - 43; // '.' and 32 bytes of base64url
    const bodyLength = (nonceChars: number) => Math.ceil(((Buffer.byteLength(JSON.stringify(claims)) + nonceChars) * 4) / 3);
    let nonceChars = Math.max(16, Math.floor(((want - bodyLength(0)) * 3) / 4) - 3);
    while (bodyLength(nonceChars + 1) <= want) nonceChars++;
    claims.nonce = randomBytes(nonceChars).toString('base64url').slice(0, nonceChars);
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createHmac('sha256', this.key).update(body).digest('base64url');
    return `${body}.${signature}`;
  }
}
