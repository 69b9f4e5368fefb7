// electron-builder's msiProjectCreated hook (electron-builder.yml): adds the console's
// Windows integration (resources/msi/windows-integration.wxs: the per-machine
// clinician-console: scheme, the optional desktop shortcut) to the MSI project electron-builder
// generated, before WiX compiles it. electron-builder imports the file and calls the export
// named after the hook.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FRAGMENT = join(import.meta.dirname, '..', '..', 'resources', 'msi', 'windows-integration.wxs');
const GROUP = 'ClinicianConsoleWindowsIntegration';

/**
 * The project with the fragment after the product and its component group in the product's feature.
 * @param {string} project electron-builder's project.wxs
 * @param {string} fragmentDocument windows-integration.wxs
 * @returns {string}
 */
export function withWindowsIntegration(project, fragmentDocument) {
  const fragment = /<Fragment>[\s\S]*<\/Fragment>/.exec(fragmentDocument);
  if (!fragment) throw new Error('windows-integration.wxs has no <Fragment>');
  const feature = /(<Feature Id="ProductFeature"[^>]*>)/;
  if (!feature.test(project) || !project.includes('</Product>')) throw new Error("electron-builder's MSI project has changed shape: no ProductFeature or </Product>");
  if (project.includes(GROUP)) return project;
  return project.replace(feature, `$1\n      <ComponentGroupRef Id="${GROUP}"/>`).replace('</Product>', `</Product>\n  ${fragment[0]}`);
}

/** @param {string} projectFile */
export async function msiProjectCreated(projectFile) {
  const [project, fragment] = await Promise.all([readFile(projectFile, 'utf8'), readFile(FRAGMENT, 'utf8')]);
  await writeFile(projectFile, withWindowsIntegration(project, fragment));
}

export default msiProjectCreated;
