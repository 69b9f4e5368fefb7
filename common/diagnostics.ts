/**
 * The diagnostics report's schema: what main reports to IT (versions, where each setting came
 * from, whether each server answers; no personal data). Here in common/ because both the
 * bridge contract (preload/contract.ts, which re-exports it) and the plain-text form
 * (diagnostics-text.ts) need it, and common/ never imports the preload.
 */
import { z } from 'zod';

/** Why a configured waiting badge may stay dark (call/main/waiting-probes.ts says when each is noted). */
export const WaitingProblem = z.enum(['no-vmr', 'no-matches', 'lookup-refused', 'rate-limited']);
export type WaitingProblem = z.infer<typeof WaitingProblem>;

/** For IT: versions, where each setting came from, and whether each server answers. No personal data. */
export const Diagnostics = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  runtime: z.record(z.string(), z.string()),
  settings: z.array(
    z.object({ key: z.string(), value: z.string(), source: z.enum(['default', 'settings file', 'policy']), locked: z.boolean() }),
  ),
  policySources: z.array(z.string()),
  /** Policy keys this version does not know: ignored, listed by key and source (never the value). */
  policyIgnoredKeys: z.array(z.object({ key: z.string().max(200), source: z.string().max(500) })).max(100),
  /** Policy sources that exist but were not applied, with a reason the renderer translates. */
  policyProblems: z
    .array(
      z.object({
        source: z.string().max(500),
        reason: z.enum(['writable-by-others', 'unreadable', 'reader-failed', 'location-unknown']),
        /** A technical code (errno), untranslated. */
        detail: z.string().max(40).optional(),
      }),
    )
    .max(20),
  /** Policy changed while the console ran: keys applied at once, keys that apply at the next
   *  start, or the new policy is invalid (the console keeps what it has; a restart would stop). */
  policyReload: z
    .object({ live: z.array(z.string().max(200)).max(100), restart: z.array(z.string().max(200)).max(100), invalid: z.boolean() })
    .optional(),
  reachability: z.array(
    z.object({
      /** pexip-status: the Pexip Management API account the waiting badge reads with (not-configured: no badge for Pexip). */
      service: z.enum(['identity-provider', 'booking-api', 'conference-server', 'room-guard', 'pexip-status']),
      url: z.string(),
      state: z.enum(['reachable', 'unreachable', 'not-configured']),
      detail: z.string().optional(),
    }),
  ),
  /** Waiting badges that may stay dark, each noted once: a meeting's room alias (an address IT
   *  configured, never a person's) or a Pexip domain, and why. */
  waiting: z.array(z.object({ subject: z.string().max(300), problem: WaitingProblem })).max(50).optional(),
  /** The updater (Electron only): off, with IT's reason, or its state; detail is technical (English). */
  updates: z
    .object({
      enabled: z.boolean(),
      state: z.enum(['idle', 'checking', 'up-to-date', 'downloading', 'downloaded', 'refused', 'failed']).optional(),
      detail: z.string().max(300).optional(),
    })
    .optional(),
});
export type Diagnostics = z.infer<typeof Diagnostics>;
