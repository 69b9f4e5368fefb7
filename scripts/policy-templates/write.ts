/**
 * `tsx scripts/policy-templates/write.ts`, run by `npm run build`: writes the policy
 * templates from the settings schema, so they change with it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyTemplates } from './templates';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const [path, content] of policyTemplates()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
