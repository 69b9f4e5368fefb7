/**
 * UI text goes through i18next from the first screen. Catalogs are plain JSON per
 * language (English, Finnish, Swedish, Danish), all bundled: they are small. `t` reads a
 * reactive version, so a language switch re-renders the UI.
 */
import i18next from 'i18next';
import type { ErrorInfo } from '../../../common/errors';
import da from './locales/da.json';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

let version = $state(0);

export const languages = ['en', 'fi', 'sv', 'da'] as const;
type Language = (typeof languages)[number];

const resources = {
  en: { translation: en },
  fi: { translation: fi },
  sv: { translation: sv },
  da: { translation: da },
} satisfies Record<Language, { translation: unknown }>;

/**
 * The locale to use for a requested one: the full, canonical tag when its language has a
 * catalog ('sv-FI' stays 'sv-FI', so dates follow Finland-Swedish conventions while the
 * text is Swedish), otherwise English. Only the primary subtag is compared, so 'fil'
 * (Filipino) does not pick Finnish. Malformed tags fall back to English.
 */
function pickLocale(requested: string): string {
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(requested.trim().replace(/_/g, '-'))[0] ?? '';
  } catch {
    return 'en';
  }
  const primary = tag.split('-')[0]?.toLowerCase();
  return languages.some((l) => l === primary) ? tag : 'en';
}

export async function initI18n(language: string = navigator.language): Promise<void> {
  const lng = pickLocale(language);
  if (i18next.isInitialized) {
    await i18next.changeLanguage(lng);
  } else {
    await i18next.init({
      // A regional tag ('fi-FI') resolves through its language ('fi') to the catalog.
      lng,
      fallbackLng: 'en',
      resources,
      // Svelte escapes text itself; escaping here too would show entities.
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    });
  }
  document.documentElement.lang = i18next.language;
  plain.clear();
  version++;
}

/** Strings without parameters, per language: the day view asks for the same few per row. */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a plain cache; `version` carries the reactivity
const plain = new Map<string, string>();

export function t(key: string, options?: Record<string, unknown>): string {
  void version; // make callers reactive to language changes
  if (options) return i18next.t(key, options) as string;
  let text = plain.get(key);
  if (text === undefined) {
    text = i18next.t(key) as string;
    plain.set(key, text);
  }
  return text;
}

/** The full locale (e.g. 'sv-FI') the UI is in; dates and times are formatted with it. */
export function currentLocale(): string {
  void version;
  return i18next.language || 'en';
}

/** A code from main (common/errors.ts) as a sentence in the UI's language. */
export function describeError(info: ErrorInfo): string {
  void version;
  const key = `error.${info.code}`;
  return i18next.exists(key) ? (i18next.t(key, info.params ?? {}) as string) : (i18next.t('error.internal') as string);
}
