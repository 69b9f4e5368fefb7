/**
 * The e2e suite, the benchmark and the README's screenshots run everything (the sandbox's
 * seed, the console, Chromium) in a time zone where it is mid-morning when they start.
 *
 * Why: "today" is the workstation's local day, and the sandbox lays today's meetings out
 * around now (one in progress, one open for joining, ...). A run that starts near local
 * midnight finds those meetings on the neighbouring day, and every test that joins "the
 * meeting open now" from today's list fails: a CI run at 00:06 did. A fixed fake clock is
 * not possible (Janus, Pexip's double and the IdP all read the real one), but the zone is
 * ours to choose, and a run (under 90 minutes) started at 09:xx local never crosses midnight.
 *
 * All processes of a run agree: the first to ask picks the zone and records it in
 * CC_TEST_TZ, which every child (Playwright's workers, the console host, the sandbox,
 * Chromium, which honours TZ) inherits. Set CC_TEST_TZ yourself to run in another zone.
 */

/** An `Etc/GMT±N` zone in which `now` falls in the local hour `localHour` (or the nearest hour such a zone can give). */
export function daytimeZone(now: Date, localHour = 9): string {
  let offset = localHour - now.getUTCHours();
  // Etc zones run from UTC-12 to UTC+14.
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  // The Etc names count the POSIX way round: Etc/GMT-9 is nine hours ahead of UTC.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** Pins this process (and, through the environment, its children) to the run's daytime zone. */
export function pinDaytimeZone(): string {
  process.env.CC_TEST_TZ ??= daytimeZone(new Date());
  process.env.TZ = process.env.CC_TEST_TZ;
  return process.env.TZ;
}
