/**
 * Calendar days in the workstation's time zone. The booking API speaks instants with an
 * offset ("yyyy-MM-dd'T'HH:mm:ssXXX"); the console speaks local days (YYYY-MM-DD).
 */

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/** The local day of an instant, as YYYY-MM-DD. */
export function localDay(instant: Date): string {
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

/** Local midnight at the start of a YYYY-MM-DD day. */
export function startOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 0, 0, 0, 0);
}

export function addDays(day: string, delta: number): string {
  const date = startOfDay(day);
  date.setDate(date.getDate() + delta);
  return localDay(date);
}

/** An instant in VDX v2's format, with the local offset: 2026-11-22T09:00:00+01:00. */
export function formatVdxDateTime(instant: Date): string {
  const offsetMinutes = -instant.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return (
    `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}` +
    `T${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(instant.getSeconds())}${offset}`
  );
}

/** The from/to pair that asks VDX for every meeting starting on a local day. */
export function vdxDayRange(day: string): { from: string; to: string } {
  const start = startOfDay(day);
  const end = startOfDay(addDays(day, 1));
  end.setSeconds(end.getSeconds() - 1); // to-start-time is inclusive; the API ignores fractions
  return { from: formatVdxDateTime(start), to: formatVdxDateTime(end) };
}
