/**
 * The translated catalogs must mirror English: same keys (plural forms folded), same
 * `{{placeholders}}`, nothing empty and nothing left in English by accident.
 */
import i18next from 'i18next';
import { ErrorCode } from '../../../common/errors';
import { Diagnostics } from '../../../preload/contract';
import { READINESS_CODES, READINESS_STEPS, ReadinessRow, ReadinessState } from '../../../common/readiness';
import { describe, expect, it } from 'vitest';
import da from '../../../renderer/src/i18n/locales/da.json';
import en from '../../../renderer/src/i18n/locales/en.json';
import fi from '../../../renderer/src/i18n/locales/fi.json';
import sv from '../../../renderer/src/i18n/locales/sv.json';

type Catalog = { [key: string]: string | Catalog };

const translations: Record<string, Catalog> = { fi, sv, da };

/**
 * Strings that are rightly the same as English, per language, by dotted key: the product
 * name, strings made only of placeholders, and words the language shares with English.
 * Keep it short; everything else must be translated.
 */
const sameAsEnglish: Record<string, readonly string[]> = {
  // "min" is the minute's abbreviation in all four; Swedish and Danish say "under 1 min" too.
  fi: ['app.title', 'day.time', 'diagnostics.version', 'waited.minutes_one', 'waited.minutes_other', 'late.minutes', 'diagnostics.readiness.state.ok'],
  sv: ['app.title', 'day.time', 'diagnostics.version', 'call.role.patient', 'call.role.specialist', 'waited.justNow', 'waited.minutes_one', 'waited.minutes_other', 'late.minutes', 'diagnostics.readiness.state.ok', 'diagnostics.readiness.colServer'],
  da: ['app.title', 'day.time', 'diagnostics.version', 'call.role.patient', 'call.role.specialist', 'waited.justNow', 'waited.minutes_one', 'waited.minutes_other', 'late.minutes', 'diagnostics.readiness.state.ok', 'diagnostics.readiness.colServer'],
};

/** All three languages use exactly the CLDR 'one' and 'other' forms, as English does. */
const PLURAL = /_(one|other)$/;

/** Every leaf as dotted key → string; non-string leaves are reported as errors. */
function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value !== null && typeof value === 'object') for (const [k, v] of flatten(value, path)) out.set(k, v);
    else throw new Error(`${path} is neither a string nor an object`);
  }
  return out;
}

/** Keys with plural suffixes folded: 'a.b_one' and 'a.b_other' both become 'a.b'. */
function folded(keys: Iterable<string>): Set<string> {
  return new Set([...keys].map((k) => k.replace(PLURAL, '')));
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

const english = flatten(en);

describe('English catalog', () => {
  it('has a sentence for every error code main can send, and nothing for codes that do not exist', () => {
    const codes = [...english.keys()].filter((k) => k.startsWith('error.')).map((k) => k.slice('error.'.length));
    expect(codes.sort()).toEqual([...ErrorCode.options].sort());
  });

  it('has a sentence for every reason Diagnostics gives for a policy source it did not apply', () => {
    const reasons = Diagnostics.shape.policyProblems.element.shape.reason.options;
    const said = [...english.keys()].filter((k) => k.startsWith('diagnostics.policy.problem.')).map((k) => k.slice('diagnostics.policy.problem.'.length));
    expect(said.sort()).toEqual([...reasons].sort());
  });

  it('has a text for every readiness step, result, kind of server and reason code, and none for codes that do not exist', () => {
    const under = (prefix: string) => [...english.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
    expect(under('diagnostics.readiness.code.')).toEqual([...READINESS_CODES].sort());
    expect(under('diagnostics.readiness.step.')).toEqual([...READINESS_STEPS].sort());
    expect(under('diagnostics.readiness.state.')).toEqual([...ReadinessState.options].sort());
    expect(under('diagnostics.readiness.kind.')).toEqual([...ReadinessRow.shape.kind.options].sort());
  });
});

describe.each(Object.entries(translations))('%s catalog', (language, catalog) => {
  const strings = flatten(catalog);

  it('has exactly the English keys, with the same plural forms', () => {
    expect([...strings.keys()].sort()).toEqual([...english.keys()].sort());
    expect([...folded(strings.keys())].sort()).toEqual([...folded(english.keys())].sort());
  });

  it('keeps every placeholder of the English string, and adds none', () => {
    for (const [key, text] of strings) {
      const source = english.get(key) ?? english.get(key.replace(PLURAL, '_other'));
      expect(source, `${key} has no English source`).toBeDefined();
      expect(placeholders(text), key).toEqual(placeholders(source ?? ''));
    }
  });

  it('has no empty strings', () => {
    for (const [key, text] of strings) expect(text.trim(), key).not.toBe('');
  });

  it('leaves nothing in English except the allowlisted strings', () => {
    const allowed = new Set(sameAsEnglish[language]);
    const untranslated = [...strings].filter(([key, text]) => text === english.get(key)).map(([key]) => key);
    expect(untranslated.sort()).toEqual([...allowed].sort());
  });

  it('resolves plural keys through i18next to the _one and _other forms', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: language,
      fallbackLng: false,
      resources: { [language]: { translation: catalog } },
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    });
    const pluralKeys = [...folded([...strings.keys()].filter((k) => PLURAL.test(k)))];
    expect(pluralKeys.length).toBeGreaterThan(0);
    for (const key of pluralKeys) {
      const one = i18n.t(key, { count: 1, date: 'D' });
      const five = i18n.t(key, { count: 5, date: 'D' });
      expect(one, key).toBe(strings.get(`${key}_one`)?.replaceAll('{{count}}', '1').replaceAll('{{date}}', 'D'));
      expect(five, key).toBe(strings.get(`${key}_other`)?.replaceAll('{{count}}', '5').replaceAll('{{date}}', 'D'));
      expect(one).not.toBe(five);
    }
  });

  it('resolves a regional locale through its language', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: `${language}-FI`,
      fallbackLng: 'en',
      resources: { en: { translation: en }, [language]: { translation: catalog } },
      showSupportNotice: false,
    });
    expect(i18n.t('day.today')).toBe(strings.get('day.today'));
  });
});
