/**
 * UI text goes through i18next from the first screen. Catalogs are plain JSON per
 * language (English now; Finnish, Swedish and Danish drop in beside it without touching
 * components). `t` reads a reactive version, so a language switch re-renders the UI.
 */
import i18next from 'i18next';
import en from './locales/en.json';

let version = $state(0);

export const languages = ['en'] as const;

export async function initI18n(language: string = navigator.language): Promise<void> {
  await i18next.init({
    lng: languages.find((l) => language.toLowerCase().startsWith(l)) ?? 'en',
    fallbackLng: 'en',
    resources: { en: { translation: en } },
    // Svelte escapes text itself; escaping here too would show entities.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  version++;
}

export function t(key: string, options?: Record<string, unknown>): string {
  void version; // make callers reactive to language changes
  return i18next.t(key, options) as string;
}

export function currentLocale(): string {
  void version;
  return i18next.language || 'en';
}
