/**
 * How often a watched day syncs, and so how often the waiting badge asks the conference
 * servers: every 15 s, as MedCom's own booking UI refreshes. Not a setting: a hospital has no
 * reason to change it, and a shorter one only costs the booking API.
 *
 * The one exception is for the suite's cost tests, which count requests per interval: where
 * CLINICIAN_CONSOLE_POLICY also counts (development, the browser host, the e2e suite; never
 * an installed build, where a user who can set environment variables must not change what the
 * console costs the hospital's servers), CLINICIAN_CONSOLE_SYNC_INTERVAL_MS may make it
 * shorter, down to 1 s, so that a test observes several intervals in seconds instead of
 * idling for minutes. Never longer: nothing would test that.
 */
import { SettingsError } from './settings';

export const SYNC_INTERVAL_MS = 15_000;
/** Below this a sync (two requests and a transaction) could outlast its interval. */
export const MIN_SYNC_INTERVAL_MS = 1_000;
export const SYNC_INTERVAL_ENV = 'CLINICIAN_CONSOLE_SYNC_INTERVAL_MS';

export function syncIntervalFrom(env: NodeJS.ProcessEnv, opts: { allowEnv: boolean }): number {
  const raw = env[SYNC_INTERVAL_ENV];
  if (!opts.allowEnv || raw === undefined || raw === '') return SYNC_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < MIN_SYNC_INTERVAL_MS || ms > SYNC_INTERVAL_MS) {
    throw new SettingsError(`${SYNC_INTERVAL_ENV} must be a whole number of milliseconds from ${MIN_SYNC_INTERVAL_MS} to ${SYNC_INTERVAL_MS}.`);
  }
  return ms;
}
