/**
 * Windows integration and the macOS package (issue 20, items 4 and 5), as far as they can be
 * proved without Windows or macOS: the facts in electron-builder.yml, the WiX fragment the MSI
 * gets (parsed by Python's xml.etree), the hook that adds it to electron-builder's own MSI
 * template, and the NSIS include that keeps the per-user installer off a machine with the MSI.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID, registersProtocolPerUser } from '../../../main/platform/app-identity';
import { DEEP_LINK_SCHEME } from '../../../main/platform/deep-link';
import { PRODUCT_FILENAME } from '../../../main/platform/updater';
import { msiProjectCreated, withWindowsIntegration } from '../../../scripts/release/msi-project.mjs';
import { tempDir } from '../../support/temp-dir';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..', '..');
const { load } = require('js-yaml') as { load(text: string): unknown };
type Target = string | { target: string; arch?: string[] };
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
  appId: string;
  productName: string;
  msiProjectCreated: string;
  protocols: Array<{ schemes: string[] }>;
  msi: Record<string, unknown> & { upgradeCode: string; additionalLightArgs?: string[] };
  nsis: Record<string, unknown> & { include: string };
  mac: { target: Target[] };
  pkg: Record<string, unknown>;
};
const fragmentPath = join(root, 'resources', 'msi', 'windows-integration.wxs');
const fragment = readFileSync(fragmentPath, 'utf8');
const builderMsiTemplate = join(root, 'node_modules', 'app-builder-lib', 'templates', 'msi', 'template.xml');

/** What the WiX fragment declares, read by a real XML parser. */
interface WixFacts {
  properties: Array<{ Id: string; Secure?: string }>;
  registry: Array<{ root: string; key: string; name: string | null; value: string; keyPath: boolean; component: string }>;
  components: Array<{ Id: string; Directory: string; Guid: string; condition: string | null; shortcuts: Array<{ target: string; aumid: string | null }> }>;
  groups: string[];
}
const READ_WIX = String.raw`
import json, sys, xml.etree.ElementTree as ET
ns = {'w': 'http://wixtoolset.org/schemas/v4/wxs'}
doc = ET.parse(sys.argv[1]).getroot()
out = {'properties': [], 'registry': [], 'components': [], 'groups': []}
for p in doc.iter('{%s}Property' % ns['w']): out['properties'].append(dict(p.attrib))
for g in doc.iter('{%s}ComponentGroup' % ns['w']): out['groups'].append(g.get('Id'))
def walk(el, root, key, component):
  for child in el:
    tag = child.tag.split('}')[1]
    if tag == 'RegistryKey':
      walk(child, child.get('Root', root), '\\'.join(filter(None, [key, child.get('Key')])), component)
    elif tag == 'RegistryValue':
      out['registry'].append({'root': child.get('Root', root), 'key': '\\'.join(filter(None, [key, child.get('Key')])), 'name': child.get('Name'), 'value': child.get('Value'), 'keyPath': child.get('KeyPath') == 'yes', 'component': component})
for c in doc.iter('{%s}Component' % ns['w']):
  cond = c.find('w:Condition', ns)
  shortcuts = [{'target': s.get('Target'), 'aumid': next((p.get('Value') for p in s.findall('w:ShortcutProperty', ns) if p.get('Key') == 'System.AppUserModel.ID'), None)} for s in c.iter('{%s}Shortcut' % ns['w'])]
  out['components'].append({'Id': c.get('Id'), 'Directory': c.get('Directory'), 'Guid': c.get('Guid'), 'condition': cond.text if cond is not None else None, 'shortcuts': shortcuts})
  walk(c, None, None, c.get('Id'))
print(json.dumps(out))
`;
const wix = JSON.parse(execFileSync('python3', ['-c', READ_WIX, fragmentPath], { encoding: 'utf8' })) as WixFacts;

describe('the AppUserModelID', () => {
  it('is electron-builder’s appId, which the installers write into the Start-menu shortcut', () => {
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });

  it('is also on the MSI’s optional desktop shortcut', () => {
    const shortcuts = wix.components.flatMap((c) => c.shortcuts);
    expect(shortcuts.length).toBeGreaterThan(0);
    for (const shortcut of shortcuts) expect(shortcut.aumid).toBe(config.appId);
  });

  it('is set by the entry before anything else, on Windows only (Electron has it nowhere else)', () => {
    const entry = readFileSync(join(root, 'main', 'index.ts'), 'utf8');
    expect(entry).toMatch(/if \(process\.platform === 'win32'\) app\.setAppUserModelId\(APP_USER_MODEL_ID\);/);
    expect(entry.indexOf('setAppUserModelId')).toBeLessThan(entry.indexOf('requestSingleInstanceLock'));
  });
});

describe('the clinician-console: scheme on Windows', () => {
  const command = wix.registry.find((r) => r.key.endsWith('shell\\open\\command'));

  it('the MSI registers it for the machine (HKLM\\Software\\Classes), the scheme the console parses', () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual([DEEP_LINK_SCHEME]);
    const classKey = `Software\\Classes\\${DEEP_LINK_SCHEME}`;
    const scheme = wix.registry.filter((r) => r.key === classKey || r.key.startsWith(`${classKey}\\`));
    expect(scheme.length).toBeGreaterThanOrEqual(3);
    for (const value of scheme) expect(value.root).toBe('HKLM');
    expect(scheme.find((r) => r.key === classKey && r.name === 'URL Protocol')?.value).toBe('');
    expect(scheme.some((r) => r.key === classKey && r.name === null && r.keyPath)).toBe(true);
  });

  it('opens the installed executable with the link as one quoted argument after "--"', () => {
    // mainExecutable is the File id electron-builder gives `<productName>.exe` in its MSI.
    expect(command?.value).toBe('"[#mainExecutable]" -- "%1"');
  });

  it('a console the MSI installed registers no per-user copy; a per-user or unknown install still does', () => {
    const env = { ProgramFiles: 'C:\\Program Files' };
    const machine = `C:\\Program Files\\${PRODUCT_FILENAME}\\${PRODUCT_FILENAME}.exe`;
    expect(registersProtocolPerUser({ execPath: machine, productFilename: PRODUCT_FILENAME, env, exists: () => false })).toBe(false);
    const perUser = `C:\\Users\\u\\AppData\\Local\\Programs\\clinician-console\\${PRODUCT_FILENAME}.exe`;
    const uninstaller = `C:\\Users\\u\\AppData\\Local\\Programs\\clinician-console\\Uninstall ${PRODUCT_FILENAME}.exe`;
    expect(registersProtocolPerUser({ execPath: perUser, productFilename: PRODUCT_FILENAME, env, exists: (p) => p === uninstaller })).toBe(true);
    expect(registersProtocolPerUser({ execPath: 'D:\\portable\\Clinician Console.exe', productFilename: PRODUCT_FILENAME, env, exists: () => false })).toBe(true);
  });
});

describe('the MSI', () => {
  it('forces no desktop shortcut: electron-builder makes none, the fragment one only with DESKTOPSHORTCUT=1', () => {
    expect(config.msi.createDesktopShortcut).toBe(false);
    expect(config.msi.createStartMenuShortcut).toBe(true);
    expect(wix.properties).toContainEqual({ Id: 'DESKTOPSHORTCUT', Secure: 'yes' });
    const desktop = wix.components.filter((c) => c.Directory === 'DesktopFolder');
    expect(desktop).toHaveLength(1);
    expect(desktop[0]!.condition?.trim()).toBe('DESKTOPSHORTCUT = 1');
    // Every component with a shortcut is conditional: nothing lands on the desktop by default.
    for (const c of wix.components.filter((c) => c.shortcuts.length)) expect(c.condition, c.Id).toBeTruthy();
    // The shortcut's key path is HKMU, HKLM in this per-machine package.
    expect(wix.registry.find((r) => r.component === desktop[0]!.Id && r.keyPath)?.root).toBe('HKMU');
  });

  it('suppresses only ICE57, and keeps warnings as errors', () => {
    expect(config.msi.warningsAsErrors).toBe(true);
    expect(config.msi.additionalLightArgs).toEqual(['-sice:ICE57']);
  });

  it('components have fixed GUIDs of their own', () => {
    const guids = wix.components.map((c) => c.Guid);
    for (const guid of guids) expect(guid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(new Set([...guids, config.msi.upgradeCode]).size).toBe(guids.length + 1);
  });

  it('the hook puts the fragment into electron-builder’s own MSI template, referenced from the product’s feature', async () => {
    expect(existsSync(builderMsiTemplate)).toBe(true);
    const project = join(tempDir('cc-msi-'), 'project.wxs');
    copyFileSync(builderMsiTemplate, project);
    await msiProjectCreated(project);
    const out = readFileSync(project, 'utf8');
    const feature = /<Feature Id="ProductFeature"[^>]*>([\s\S]*?)<\/Feature>/.exec(out)?.[1] ?? '';
    expect(feature).toContain(`<ComponentGroupRef Id="${wix.groups[0]}"/>`);
    const afterProduct = out.slice(out.indexOf('</Product>'));
    expect(afterProduct).toContain('<Fragment>');
    expect(afterProduct).toContain(`Software\\Classes\\${DEEP_LINK_SCHEME}`);
    // Run twice (a rebuild of the same stage folder): no second copy.
    expect(withWindowsIntegration(out, fragment)).toBe(out);
  });

  it('the hook fails loudly when electron-builder’s template changes shape', () => {
    expect(() => withWindowsIntegration('<Wix><Product></Product></Wix>', fragment)).toThrow(/changed shape/);
  });

  it('electron-builder.yml names this hook, and electron-builder’s own resolver loads it from the project', async () => {
    expect(config.msiProjectCreated).toBe('./scripts/release/msi-project.mjs');
    const { resolveFunction } = require('app-builder-lib/out/util/resolve') as {
      resolveFunction(type: string | undefined, executor: string, name: string, rootSearchDir: string): Promise<unknown>;
    };
    const cwd = process.cwd();
    process.chdir(root); // electron-builder resolves ./ paths from the project folder it runs in
    try {
      const resolved = (await resolveFunction(undefined, config.msiProjectCreated, 'msiProjectCreated', root)) as (file: string) => Promise<void>;
      // The function electron-builder will call (its own import, not vitest's): it edits the project.
      const project = join(tempDir('cc-msi-'), 'project.wxs');
      copyFileSync(builderMsiTemplate, project);
      await resolved(project);
      expect(readFileSync(project, 'utf8')).toContain(`<ComponentGroupRef Id="${wix.groups[0]}"/>`);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('the per-user NSIS installer', () => {
  const include = readFileSync(join(root, config.nsis.include), 'utf8');

  it('refuses to install beside the MSI: it asks Windows Installer for the MSI’s upgrade code', () => {
    expect(include).toMatch(/!macro customInit[\s\S]*!macroend/);
    const codes = [...include.matchAll(/MsiEnumRelatedProductsW\(w "\{([0-9A-F-]{36})\}"/g)].map((m) => m[1]);
    expect(codes).toEqual([config.msi.upgradeCode]);
    expect(include).toMatch(/\$\{If\} \$0 == 0[\s\S]*SetErrorLevel 2[\s\S]*Quit/);
    // Silent installs (electron-updater's /S) must not wait on a dialog.
    expect(include).toMatch(/MessageBox [^\n]*\/SD IDOK/);
  });

  it('stays per user and one-click (the self-updating flavour)', () => {
    expect(config.nsis).toMatchObject({ perMachine: false, oneClick: true });
    expect(config.productName).toBe(PRODUCT_FILENAME);
  });
});

describe('the macOS package for Jamf and Intune', () => {
  it('is a pkg target beside the DMG and the update zip', () => {
    const names = config.mac.target.map((t) => (typeof t === 'string' ? t : t.target));
    expect(names).toEqual(expect.arrayContaining(['dmg', 'pkg', 'zip']));
  });

  it('installs into /Applications for the machine, never relocated or into a home folder, never over a newer version', () => {
    expect(config.pkg).toMatchObject({
      installLocation: '/Applications',
      isRelocatable: false,
      isVersionChecked: true,
      allowAnywhere: false,
      allowCurrentUserHome: false,
      allowRootDirectory: true,
      overwriteAction: 'upgrade',
    });
    expect(config.pkg.mustClose).toEqual([config.appId]);
  });
});
