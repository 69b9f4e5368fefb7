/**
 * How long someone has waited: whole minutes from the server's `since`, when the count next
 * goes up (the local timer's only schedule: one wake-up per minute, none in between), and
 * the words in each of the four catalogs.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import da from '../../../renderer/src/i18n/locales/da.json';
import en from '../../../renderer/src/i18n/locales/en.json';
import fi from '../../../renderer/src/i18n/locales/fi.json';
import sv from '../../../renderer/src/i18n/locales/sv.json';
import { earliest, untilNextMinute, waitedMinutes, waitedPhrase } from '../../../renderer/src/lib/waited';

const since = '2026-11-22T09:00:30.000Z';
const at = (iso: string) => Date.parse(iso);

describe('waited minutes', () => {
  it('count whole minutes from since, never below zero', () => {
    expect(waitedMinutes(since, at('2026-11-22T09:00:30.000Z'))).toBe(0);
    expect(waitedMinutes(since, at('2026-11-22T09:01:29.999Z'))).toBe(0);
    expect(waitedMinutes(since, at('2026-11-22T09:01:30.000Z'))).toBe(1);
    expect(waitedMinutes(since, at('2026-11-22T10:13:31.000Z'))).toBe(73);
    // The workstation's clock a little behind the server's: no negative wait.
    expect(waitedMinutes(since, at('2026-11-22T09:00:10.000Z'))).toBe(0);
    expect(waitedMinutes('not a time', at(since))).toBe(0);
  });

  it('next change exactly when the minute turns, so a display wakes once a minute', () => {
    expect(untilNextMinute(since, at('2026-11-22T09:00:30.000Z'))).toBe(60_000);
    expect(untilNextMinute(since, at('2026-11-22T09:05:10.000Z'))).toBe(20_000);
    // Just before the turn: at least a second, never a spinning timer.
    expect(untilNextMinute(since, at('2026-11-22T09:05:29.990Z'))).toBe(1_000);
    // Walking the timer's schedule through an hour: 60 wake-ups, each one minute more.
    let now = at('2026-11-22T09:00:45.000Z');
    const counts: number[] = [];
    for (let i = 0; i < 60; i++) {
      now += untilNextMinute(since, now);
      counts.push(waitedMinutes(since, now));
    }
    expect(counts).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('the longest wait is the earliest since', () => {
    expect(earliest(['2026-11-22T09:05:00Z', '2026-11-22T08:59:00Z', 'bad'])).toBe('2026-11-22T08:59:00Z');
    expect(earliest([])).toBeNull();
  });
});

describe('waited, in words', () => {
  const catalogs = { en, fi, sv, da };
  it.each([
    ['en', ['under 1 min', '1 min', '7 min', '1 h 5 min']],
    ['fi', ['alle 1 min', '1 min', '7 min', '1 t 5 min']],
    ['sv', ['under 1 min', '1 min', '7 min', '1 tim 5 min']],
    ['da', ['under 1 min', '1 min', '7 min', '1 t 5 min']],
  ] as const)('%s', async (lang, expected) => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: lang, fallbackLng: false, resources: { [lang]: { translation: catalogs[lang] } }, interpolation: { escapeValue: false }, showSupportNotice: false });
    const say = (minutes: number) => {
      const { key, params } = waitedPhrase(minutes);
      return i18n.t(key, params);
    };
    expect([0, 1, 7, 65].map(say)).toEqual(expected);
  });
});
