// Date handling of the VDX v2 API: "yyyy-MM-dd'T'HH:mm:ssXXX" out, the same with an
// optional (ignored) fraction in. Meetings are laid out in the workstation's local time
// zone, as a clinic's calendar would be.

const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** Formats in the local time zone with its offset; `Z` when the offset is zero (Java's XXX). */
export function formatVdxDateTime(d: Date): string {
  const offsetMin = -d.getTimezoneOffset();
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin > 0 ? '+' : '-'}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`;
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`
  );
}

export type ParsedVdxDateTime =
  | { ok: true; date: Date }
  | { ok: false; code: '10' | '25'; message: string };

const INPUT = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an input date-time. Fractions are dropped (not rounded), as the spec says.
 * Note: in a query string a literal `+` decodes to a space, so an unencoded "+01:00"
 * offset fails here exactly as it would on the real server; clients must send %2B.
 */
export function parseVdxDateTime(s: string): ParsedVdxDateTime {
  const m = INPUT.exec(s);
  if (!m) return { ok: false, code: '10', message: `Invalid date format '${s}', expected yyyy-MM-dd'T'HH:mm:ssXXX` };
  const [, y, mo, d, h, mi, se, zone] = m as unknown as [string, string, string, string, string, string, string, string];
  if (y.length > 4) return { ok: false, code: '25', message: 'Date format is wrong, year must only have 4 digits' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, code: '10', message: `Invalid date '${s}'` };
  }
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return { ok: false, code: '10', message: `Invalid offset in '${s}'` };
    offsetMin = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
  return { ok: true, date: new Date(utc) };
}

/** Local calendar day as YYYY-MM-DD. */
export function localDayKey(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Start (inclusive) and end (exclusive) of a local calendar day given as a Date or YYYY-MM-DD. */
export function localDayBounds(day: Date | string): { start: Date; end: Date } {
  let y: number, m: number, d: number;
  if (typeof day === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!match) throw new Error(`expected YYYY-MM-DD, got ${day}`);
    [y, m, d] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  } else {
    [y, m, d] = [day.getFullYear(), day.getMonth(), day.getDate()];
  }
  // new Date(y, m, d + 1) is the next local midnight even across a DST change.
  return { start: new Date(y, m, d), end: new Date(y, m, d + 1) };
}

/** Truncates to whole seconds: the API has no sub-second precision. */
export function toSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
