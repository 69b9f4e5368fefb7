/**
 * The policy templates IT imports (ADMX/ADML, the macOS profile) are the settings schema's:
 * the committed files are exactly what the build generates; read by independent parsers
 * (Python's xml.etree and plistlib), each holds every settings key and no other, with the
 * registry type the console's reader expects; and a key without its texts stops the build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { WINDOWS_POLICY_KEY, managedPreferencesPolicy, registryPolicy } from '../../../main/settings/policy';
import { SettingsSchema } from '../../../main/settings/settings';
import { EXAMPLE_SETTINGS } from '../../../scripts/policy-templates/examples';
import { policyKeys } from '../../../scripts/policy-templates/keys';
import { POLICY_DIR, policyTemplates } from '../../../scripts/policy-templates/templates';
import { KEY_TEXTS, LANGUAGES, checkTexts } from '../../../scripts/policy-templates/texts';

const root = join(import.meta.dirname, '..', '..', '..');
const admxPath = join(root, POLICY_DIR, 'windows', 'ClinicianConsole.admx');
const admlPath = (language: string) => join(root, POLICY_DIR, 'windows', language, 'ClinicianConsole.adml');
const profilePath = join(root, POLICY_DIR, 'macos', 'eu.clinicianconsole.app.mobileconfig');
const settingKeys = Object.keys(SettingsSchema.shape).sort();

interface ParsedPolicy {
  name: string;
  class: string;
  key: string;
  valueName: string | null;
  displayName: string;
  explainText: string;
  presentation: string | null;
  enabled: string | null;
  disabled: string | null;
  elements: Array<{ tag: string; attrs: Record<string, string>; values: string[] }>;
}
interface Parsed {
  policies: ParsedPolicy[];
  stringRefs: string[];
  adml: Record<string, { strings: Record<string, string>; presentations: string[] }>;
  profile: { scope: string; payloads: Array<{ type: string; domains: Record<string, { Forced: Array<{ mcx_preference_settings: Record<string, unknown> }> }> }> };
}

// Parsers independent of the generator: Python's standard library.
const PARSE = String.raw`
import json, plistlib, sys
import xml.etree.ElementTree as ET
NS = '{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}'
admx, profile, *adml = sys.argv[1:]
tree = ET.parse(admx).getroot()
assert tree.tag == NS + 'policyDefinitions', tree.tag
def value_of(node):
    if node is None: return None
    child = list(node)[0]
    return child.get('value') if child.tag == NS + 'decimal' else child.text
policies = []
for p in tree.iter(NS + 'policy'):
    elements = []
    for e in (p.find(NS + 'elements') if p.find(NS + 'elements') is not None else []):
        values = [v.text for v in e.iter(NS + 'string')]
        elements.append({'tag': e.tag[len(NS):], 'attrs': dict(e.attrib), 'values': values})
    policies.append({'name': p.get('name'), 'class': p.get('class'), 'key': p.get('key'), 'valueName': p.get('valueName'),
        'displayName': p.get('displayName'), 'explainText': p.get('explainText'), 'presentation': p.get('presentation'),
        'enabled': value_of(p.find(NS + 'enabledValue')), 'disabled': value_of(p.find(NS + 'disabledValue')), 'elements': elements})
refs = [v for e in tree.iter() for v in e.attrib.values() if v.startswith('$(string.')]
resources = {}
for path in adml:
    r = ET.parse(path).getroot()
    assert r.tag == NS + 'policyDefinitionResources', r.tag
    resources[path] = {'strings': {s.get('id'): s.text for s in r.iter(NS + 'string')},
        'presentations': [p.get('id') for p in r.iter(NS + 'presentation')]}
with open(profile, 'rb') as f:
    prof = plistlib.load(f)
payloads = [{'type': p['PayloadType'], 'domains': p['PayloadContent']} for p in prof['PayloadContent']]
print(json.dumps({'policies': policies, 'stringRefs': refs, 'adml': resources, 'profile': {'scope': prof['PayloadScope'], 'payloads': payloads}}))
`;

let parsed: Parsed;
beforeAll(() => {
  const paths = [admxPath, profilePath, ...LANGUAGES.map(admlPath)];
  const output = execFileSync('python3', ['-c', PARSE, ...paths], { encoding: 'utf8' });
  const byPath = JSON.parse(output) as Parsed;
  parsed = { ...byPath, adml: Object.fromEntries(LANGUAGES.map((l) => [l, byPath.adml[admlPath(l)]!])) };
});

describe('policy templates', () => {
  it('the committed files are what the build generates', () => {
    const generated = policyTemplates();
    for (const [path, content] of generated) expect(readFileSync(join(root, path), 'utf8'), `${path} is stale: run npm run build`).toBe(content);
    const committed = listFiles(join(root, POLICY_DIR)).filter((p) => /\.(admx|adml|mobileconfig)$/.test(p));
    expect(committed.sort()).toEqual([...generated.keys()].sort());
  });

  it('the ADMX has one machine policy per settings key, in the key the console reads', () => {
    expect(parsed.policies.map((p) => p.name).sort()).toEqual(settingKeys);
    const registryKey = WINDOWS_POLICY_KEY.replace(/^HKLM\\/, '');
    for (const policy of parsed.policies) {
      expect(policy.class, policy.name).toBe('Machine');
      expect(policy.key, policy.name).toBe(registryKey);
      // The registry value is named after the key, on the policy or on its one element.
      const valueNames = [policy.valueName, ...policy.elements.map((e) => e.attrs.valueName)].filter(Boolean);
      expect(valueNames, policy.name).toEqual([policy.name]);
    }
  });

  it('gives each key the ADMX type for its registry value type', () => {
    const kinds = new Map(policyKeys().map((k) => [k.name as string, k.kind]));
    for (const policy of parsed.policies) {
      const kind = kinds.get(policy.name)!;
      const element = policy.elements[0];
      if (kind.type === 'boolean') {
        expect([policy.enabled, policy.disabled, policy.elements.length], policy.name).toEqual(['1', '0', 0]);
        continue;
      }
      expect(policy.elements, policy.name).toHaveLength(1);
      if (kind.type === 'number') {
        expect(element!.tag).toBe('decimal');
        expect([element!.attrs.minValue, element!.attrs.maxValue], policy.name).toEqual([String(kind.min), String(kind.max)]);
        expect(element!.attrs.storeAsText ?? 'false').toBe('false'); // REG_DWORD, not REG_SZ
      } else if (kind.type === 'enum') {
        expect(element!.tag).toBe('enum');
        expect(element!.values, policy.name).toEqual(kind.values);
      } else if (kind.type === 'text') {
        expect(element!.tag, policy.name).toBe('text');
        expect(element!.attrs.expandable ?? 'false').toBe('false'); // REG_SZ, not REG_EXPAND_SZ
      } else {
        expect(element!.tag, policy.name).toBe('multiText'); // one REG_MULTI_SZ value
      }
    }
    // The schema's ranges, as a check on the derivation itself.
    expect(kinds.get('requestTimeoutMs')).toEqual({ type: 'number', min: 1000, max: 120_000 });
    expect(kinds.get('conferenceServers')).toEqual({ type: 'list', items: 'json', maxItems: 50 });
    expect(kinds.get('proxyMode')).toEqual({ type: 'enum', values: ['system', 'fixed', 'direct'] });
  });

  it('values written as the ADMX types them are read back by the console as the same settings', () => {
    // The values a GPO writes with the ADMX's types, as the registry reader gets them from
    // Windows (REG_DWORD a number, REG_MULTI_SZ a list of strings, REG_SZ a string).
    const values = Object.fromEntries(
      parsed.policies.map((policy) => {
        const value = EXAMPLE_SETTINGS[policy.name as keyof typeof EXAMPLE_SETTINGS];
        const tag = policy.elements[0]?.tag;
        if (tag === undefined) return [policy.name, Number((value ? policy.enabled : policy.disabled)!)];
        if (tag === 'decimal') return [policy.name, value as number];
        if (tag === 'multiText') return [policy.name, (value as unknown[]).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))];
        return [policy.name, value as string];
      }),
    );
    const host = {
      commonAppData: () => 'C:\\ProgramData',
      securityDescriptor: () => null,
      registryValues: (key: string) => (key === WINDOWS_POLICY_KEY ? values : null),
    };
    const read = registryPolicy(host).read();
    expect(SettingsSchema.parse(read)).toEqual(EXAMPLE_SETTINGS);
  });

  it.each(LANGUAGES)('the %s ADML has every string and control the ADMX names, for settings keys only', (language) => {
    const { strings, presentations } = parsed.adml[language]!;
    for (const ref of parsed.stringRefs) expect(strings[ref.slice('$(string.'.length, -1)], `${language}: ${ref}`).toBeTruthy();
    for (const key of settingKeys) {
      expect(strings[key], `${language}: ${key}`).toBeTruthy();
      expect(strings[`${key}_Explain`], `${language}: ${key}`).toMatch(new RegExp(`\\b${key}\\b`));
    }
    const withControls = parsed.policies.filter((p) => p.presentation).map((p) => p.name);
    expect(presentations.sort()).toEqual(withControls.sort());
    // Every string is the category's, the supported-on text's or a key's (its name, explain, choices).
    const stray = Object.keys(strings).filter(
      (id) => !['ClinicianConsole', 'SUPPORTED_ClinicianConsole'].includes(id) && !settingKeys.includes(id.replace(/_.*$/, '')),
    );
    expect(stray).toEqual([]);
  });

  it('the macOS profile sets every key, and only keys the console accepts, in its preference domain for the machine', () => {
    const { scope, payloads } = parsed.profile;
    expect(scope).toBe('System');
    expect(payloads.map((p) => p.type)).toEqual(['com.apple.ManagedClient.preferences']);
    const domain = basename(managedPreferencesPolicy().name, '.plist');
    expect(Object.keys(payloads[0]!.domains)).toEqual([domain]);
    const settings = payloads[0]!.domains[domain]!.Forced[0]!.mcx_preference_settings;
    expect(Object.keys(settings).sort()).toEqual(settingKeys);
    expect(SettingsSchema.parse(settings)).toEqual(EXAMPLE_SETTINGS);
  });

  it('stops the build, naming the key, when a key lacks its texts or texts name a key that does not exist', () => {
    const keys = policyKeys();
    const { callMiniView: _missing, ...withoutOne } = KEY_TEXTS;
    expect(() => checkTexts(keys, withoutOne)).toThrow('"callMiniView" has no texts');
    expect(() => checkTexts(keys, { ...KEY_TEXTS, retiredSetting: KEY_TEXTS.callMiniView })).toThrow('"retiredSetting", which is not a setting');
    const noLabel = { ...KEY_TEXTS, proxyMode: { ...KEY_TEXTS.proxyMode, items: { system: KEY_TEXTS.proxyMode.items!.system! } } };
    expect(() => checkTexts(keys, noLabel)).toThrow('"proxyMode" has no en-US label for "fixed"');
    expect(() => checkTexts(keys)).not.toThrow();
  });

  it('stops the build, naming the key, for a setting whose type has no policy form', () => {
    const schema = z.object({ ok: z.boolean().default(false), nested: z.object({ a: z.string() }).default({ a: '' }) }).strict();
    expect(() => policyKeys(schema, [])).toThrow('"nested": no policy template form');
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}
