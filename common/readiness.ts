/**
 * The readiness check's report ("Check conference servers" in Diagnostics, and
 * `npm run check-servers`): one row per step per server, each ok, failed or skipped with a
 * reason code and its parameters, which the renderer translates and the text form prints as
 * they are (for an IT ticket). Schemas and plain code only: main, the contract, the renderer
 * and the command line share it.
 *
 * What never goes in a row: a PIN, a token, a password, a participant's or a VMR's name. A
 * server is named by its address (no user, password, query or fragment).
 */
import { z } from 'zod';

export const READINESS_STEPS = [
  'dns',
  'tls',
  'client-api',
  'cors',
  'request-token',
  'events',
  'release-token',
  'stun',
  'turn',
  'management-status',
  'management-vmr',
  'guard',
  'janus',
  'admission',
] as const;
export const ReadinessStepName = z.enum(READINESS_STEPS);
export type ReadinessStepName = z.infer<typeof ReadinessStepName>;

/** Reason codes: what happened, said without any secret (the renderer has a text for each). */
export const READINESS_CODES = [
  // ok
  'resolved',
  'ip-address',
  'tls-ok',
  'not-tls',
  'answered',
  'cors-allowed',
  'token-issued',
  'events-opened',
  'released',
  'stun-answered',
  'turn-allocated',
  'turn-answered',
  'status-readable',
  'vmr-resolved',
  'websocket-upgraded',
  'admitted',
  // failed
  'not-resolved',
  'tls-failed',
  'unreachable',
  'timeout',
  'http-status',
  'cors-refused',
  'cors-header-missing',
  'token-refused',
  'token-pin-asked',
  'events-refused',
  'release-refused',
  'stun-no-answer',
  'stun-bad-answer',
  'turn-no-answer',
  'turn-refused',
  'account-refused',
  'rate-limited',
  'vmr-not-found',
  'lookup-refused',
  'lookup-failed',
  'not-websocket',
  'test-room-pin-refused',
  'test-room-not-found',
  'guard-slowed',
  'janus-refused',
  // skipped
  'no-test-alias',
  'no-token',
  'no-stun-in-token',
  'no-turn-in-token',
  'no-status-account',
  'earlier-step-failed',
  'no-test-room',
] as const;
export const ReadinessCode = z.enum(READINESS_CODES);
export type ReadinessCode = z.infer<typeof ReadinessCode>;

export const ReadinessState = z.enum(['ok', 'failed', 'skipped']);
export type ReadinessState = z.infer<typeof ReadinessState>;

export const ReadinessRow = z.object({
  /** `pexip`, `janus`, `pexip-management`, `stun` or `turn`: what kind of server the row is about. */
  kind: z.enum(['pexip', 'pexip-management', 'stun', 'turn', 'janus', 'room-guard']),
  /** The server's address as a ticket may show it. */
  server: z.string().max(300),
  step: ReadinessStepName,
  state: ReadinessState,
  code: ReadinessCode,
  /** Technical parameters (an HTTP status, an error code, a count, an origin); never a secret. */
  params: z.record(z.string().max(40), z.union([z.string().max(200), z.number()])).optional(),
  /** The result is inferred, not proven (e.g. a TURN server alive because it asked for credentials). */
  inferred: z.boolean().optional(),
});
export type ReadinessRow = z.infer<typeof ReadinessRow>;

export const ReadinessReport = z.object({
  /** When it ran (ISO 8601). */
  at: z.iso.datetime(),
  /** The origin the call window's requests come from, which the CORS steps ask for. */
  origin: z.string().max(200),
  rows: z.array(ReadinessRow).max(500),
});
export type ReadinessReport = z.infer<typeof ReadinessReport>;

/** True when no step failed (skipped steps do not fail the check). */
export function readinessPassed(report: ReadinessReport): boolean {
  return report.rows.every((r) => r.state !== 'failed');
}

// Its text form for an IT ticket: readiness-text.ts (without zod, for the main window).
