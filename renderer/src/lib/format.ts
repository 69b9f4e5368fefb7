/**
 * Times and dates in the UI's language, in the workstation's time zone. Formatters are made
 * once per locale: building an Intl.DateTimeFormat costs far more than using one, and a
 * day view formats two times per row.
 */
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(locale, format);
  }
  return format;
}

export function formatTime(iso: string, locale: string): string {
  return cached(timeFormats, locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** Builds the formatters for a locale now (the first costs tens of ms: locale data loads). */
export function warmFormatters(locale: string): void {
  formatDay('2000-01-01', locale);
  formatTime(new Date(0).toISOString(), locale);
}

export function formatDay(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return cached(dayFormats, locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(y, m - 1, d));
}
