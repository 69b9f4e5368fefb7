/**
 * The UI speaks the workstation's language: Finnish, Swedish or Danish where the OS says
 * so, English otherwise; dates follow the UI's language.
 */
import { localDay } from '../../common/days';
import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../support/electron';

type Catalog = { auth: { heading: string; signIn: string }; day: { today: string } };
const catalog = (lang: string): Catalog =>
  JSON.parse(readFileSync(join(projectRoot, 'renderer', 'src', 'i18n', 'locales', `${lang}.json`), 'utf8')) as Catalog;
const [fi, sv, da, en] = ['fi', 'sv', 'da', 'en'].map(catalog) as [Catalog, Catalog, Catalog, Catalog];

for (const [locale, catalog, lang] of [
  ['fi-FI', fi, 'fi'],
  ['sv-SE', sv, 'sv'],
  ['da-DK', da, 'da'],
  ['nb-NO', en, 'en'],
] as const) {
  test(`${locale}: the sign-in screen and the day view are in ${lang}`, async ({ launchConsole, stack }) => {
    const app = await launchConsole({ locale });
    await expect(app.page.locator('html')).toHaveAttribute('lang', new RegExp(`^${lang}`));
    await expect(app.page.getByRole('heading', { name: catalog.auth.heading })).toBeVisible();

    const external = app.waitForExternalPage();
    await app.page.getByRole('button', { name: catalog.auth.signIn, exact: true }).click();
    const idp = await external;
    await idp.getByLabel('Username').fill(stack.idp.users[0]!.username);
    await idp.getByLabel('Password').fill(stack.idp.users[0]!.password);
    await idp.getByRole('button', { name: 'Sign in' }).click();

    await expect(app.page.getByRole('button', { name: catalog.day.today })).toBeVisible();
    // Dates follow the UI's language: a workstation in a language we have no catalog for
    // gets English text and English dates, never a mix.
    const weekday = new Intl.DateTimeFormat(lang === 'en' ? 'en' : locale, { weekday: 'long' }).format(new Date());
    await expect(app.page.getByTestId('day-label')).toContainText(weekday);
    await expect(app.page.getByTestId('meeting')).toHaveCount(stack.vdx.meetingsOn(localDay(new Date())).length);
  });
}
