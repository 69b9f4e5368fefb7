/**
 * Every policy template file, by its path in the repository, generated from the settings
 * schema: the ADMX, an ADML per language and the example macOS profile. The build writes
 * them (write.ts); the unit test checks the committed files are exactly these.
 */
import { renderAdml, renderAdmx } from './admx';
import { EXAMPLE_SETTINGS } from './examples';
import { policyKeys, type PolicyKey } from './keys';
import { PREFERENCE_DOMAIN, renderMobileconfig } from './mobileconfig';
import { KEY_TEXTS, LANGUAGES, checkTexts } from './texts';

export const POLICY_DIR = 'resources/policy';

export function policyTemplates(keys: readonly PolicyKey[] = policyKeys()): Map<string, string> {
  checkTexts(keys, KEY_TEXTS);
  const files = new Map<string, string>();
  files.set(`${POLICY_DIR}/windows/ClinicianConsole.admx`, renderAdmx(keys));
  for (const language of LANGUAGES)
    files.set(`${POLICY_DIR}/windows/${language}/ClinicianConsole.adml`, renderAdml(keys, KEY_TEXTS, language));
  files.set(`${POLICY_DIR}/macos/${PREFERENCE_DOMAIN}.mobileconfig`, renderMobileconfig(keys, EXAMPLE_SETTINGS));
  return files;
}
