import { startOfDay } from '../common/days';

/** Fills a day with `count` meetings, evenly spread over 20 hours from midnight. */
export function fillDay(add: (input: { subject: string; startTime: Date; endTime: Date }) => unknown, day: string, count: number): void {
  const start = startOfDay(day).getTime();
  const step = Math.floor((20 * 3600_000) / count / 1000) * 1000;
  for (let i = 0; i < count; i++) {
    const s = new Date(start + i * step);
    add({ subject: `Benchmark consultation (demo ${i + 1})`, startTime: s, endTime: new Date(s.getTime() + 15 * 60_000) });
  }
}
