/**
 * The Windows administrative template: one ADMX (the policies, their registry values and
 * types) and an ADML per language (names, explain texts, the controls' labels), written to
 * Microsoft's ADMX schema (PolicyDefinitions.xsd, schemaVersion 1.0).
 *
 * Every policy writes to HKLM\Software\Policies\ClinicianConsole (class "Machine"), the one
 * place the console reads registry policy (main/settings/policy.ts), with the types its
 * reader expects: booleans and numbers REG_DWORD, text and choices REG_SZ, lists REG_MULTI_SZ.
 */
import type { PolicyKey } from './keys';
import { COMMON, FOOTER, type KeyTexts, type Language } from './texts';
import { attributes, escapeXml } from './xml';

/** The registry key under HKLM that main/settings/policy.ts reads. */
export const REGISTRY_KEY = 'Software\\Policies\\ClinicianConsole';
const NAMESPACE = 'ClinicianConsole.Policies.ClinicianConsole';
const CATEGORY = 'ClinicianConsole';
const SUPPORTED_ON = 'SUPPORTED_ClinicianConsole';
/** Bump with a change IT should notice; ADML files must carry the same revision. */
const REVISION = '1.0';
const XMLNS =
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  `revision="${REVISION}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"`;
export const GENERATED_NOTE =
  '<!-- Generated from the settings schema (main/settings/settings.ts) by scripts/policy-templates during `npm run build`. Do not edit. -->';

export function registryType(key: PolicyKey): 'REG_DWORD' | 'REG_SZ' | 'REG_MULTI_SZ' {
  switch (key.kind.type) {
    case 'boolean':
    case 'number':
      return 'REG_DWORD';
    case 'list':
      return 'REG_MULTI_SZ';
    default:
      return 'REG_SZ';
  }
}

export function renderAdmx(keys: readonly PolicyKey[]): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    GENERATED_NOTE,
    `<policyDefinitions ${XMLNS}>`,
    '  <policyNamespaces>',
    `    <target prefix="clinicianconsole" namespace="${NAMESPACE}"/>`,
    '  </policyNamespaces>',
    `  <resources minRequiredRevision="${REVISION}"/>`,
    '  <supportedOn>',
    '    <definitions>',
    `      <definition name="${SUPPORTED_ON}" displayName="$(string.${SUPPORTED_ON})"/>`,
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    `    <category name="${CATEGORY}" displayName="$(string.${CATEGORY})"/>`,
    '  </categories>',
    '  <policies>',
    ...keys.flatMap(policy),
    '  </policies>',
    '</policyDefinitions>',
    '',
  ];
  return lines.join('\n');
}

function policy(key: PolicyKey): string[] {
  const name = key.name;
  const isBoolean = key.kind.type === 'boolean';
  const head = `    <policy${attributes({
    name,
    class: 'Machine',
    displayName: `$(string.${name})`,
    explainText: `$(string.${name}_Explain)`,
    presentation: isBoolean ? undefined : `$(presentation.${name})`,
    key: REGISTRY_KEY,
    // A boolean is the policy's own state (Enabled 1, Disabled 0), as Chrome's and Edge's templates do.
    valueName: isBoolean ? name : undefined,
  })}>`;
  return [
    head,
    `      <parentCategory ref="${CATEGORY}"/>`,
    `      <supportedOn ref="${SUPPORTED_ON}"/>`,
    ...(isBoolean
      ? ['      <enabledValue><decimal value="1"/></enabledValue>', '      <disabledValue><decimal value="0"/></disabledValue>']
      : ['      <elements>', ...element(key).map((line) => `        ${line}`), '      </elements>']),
    '    </policy>',
  ];
}

function element(key: PolicyKey): string[] {
  const { name, kind } = key;
  switch (kind.type) {
    case 'number':
      // maxValue is given always: the schema's default for it is 9999.
      return [`<decimal${attributes({ id: name, valueName: name, required: true, minValue: kind.min, maxValue: kind.max })}/>`];
    case 'enum':
      return [
        `<enum${attributes({ id: name, valueName: name, required: true })}>`,
        ...kind.values.map((value) => `  <item displayName="$(string.${itemId(name, value)})"><value><string>${escapeXml(value)}</string></value></item>`),
        '</enum>',
      ];
    case 'text':
      // Where '' is a valid value (no SMS gateway, say), IT may lock it empty.
      return [`<text${attributes({ id: name, valueName: name, required: !kind.emptyAllowed, maxLength: kind.maxLength })}/>`];
    case 'list':
      // multiText writes one REG_MULTI_SZ value; <list> would write a subkey of REG_SZ values,
      // which the console does not read. Its maxLength (default 1023) bounds each line.
      return [
        `<multiText${attributes({ id: name, valueName: name, maxLength: kind.items === 'json' ? 4096 : undefined, maxStrings: kind.maxItems })}/>`,
      ];
    case 'boolean':
      return [];
  }
}

function itemId(name: string, value: string): string {
  return `${name}_${value.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export function renderAdml(keys: readonly PolicyKey[], texts: Readonly<Record<string, KeyTexts>>, language: Language): string {
  const strings: Array<[string, string]> = [
    [CATEGORY, COMMON.product[language]],
    [SUPPORTED_ON, COMMON.product[language]],
  ];
  const presentations: string[] = [];
  for (const key of keys) {
    const text = texts[key.name];
    if (!text) throw new Error(`"${key.name}" has no texts`);
    strings.push([key.name, text.name[language]], [`${key.name}_Explain`, explainText(key, text, language)]);
    if (key.kind.type === 'enum')
      for (const value of key.kind.values) strings.push([itemId(key.name, value), text.items?.[value]?.[language] ?? value]);
    const control = presentation(key, text.name[language]);
    if (control) presentations.push(`      <presentation id="${key.name}">`, `        ${control}`, '      </presentation>');
  }
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    GENERATED_NOTE,
    `<policyDefinitionResources ${XMLNS}>`,
    `  <displayName>${escapeXml(COMMON.fileName[language])}</displayName>`,
    `  <description>${escapeXml(COMMON.fileDescription[language])}</description>`,
    '  <resources>',
    '    <stringTable>',
    ...strings.map(([id, value]) => `      <string id="${id}">${escapeXml(value)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ];
  return lines.join('\n');
}

function presentation(key: PolicyKey, label: string): string | undefined {
  const { name, kind } = key;
  const text = escapeXml(label);
  switch (kind.type) {
    case 'number':
      return `<decimalTextBox${attributes({ refId: name, defaultValue: key.default as number | undefined })}>${text}</decimalTextBox>`;
    case 'enum':
      return `<dropdownList${attributes({ refId: name, noSort: true, defaultItem: Math.max(0, kind.values.indexOf(String(key.default))) })}>${text}</dropdownList>`;
    case 'text': {
      const fallback = typeof key.default === 'string' && key.default !== '' ? `<defaultValue>${escapeXml(key.default)}</defaultValue>` : '';
      return `<textBox refId="${name}"><label>${text}</label>${fallback}</textBox>`;
    }
    case 'list':
      // The schema gives a multiTextBox no label of its own: the text before it is the label.
      return `<text>${text}</text><multiTextBox refId="${name}"/>`;
    case 'boolean':
      return undefined;
  }
}

/** The key's explain text, then what the generator knows from the schema. */
export function explainText(key: PolicyKey, text: KeyTexts, language: Language): string {
  const footer = FOOTER[language];
  const lines = [
    footer.value(key.name, registryType(key), `HKLM\\${REGISTRY_KEY}`) + ' ' + footer.defaultIs(formatDefault(key.default)),
    key.kind.type === 'boolean' ? footer.boolean : key.policyOnly ? footer.notSetPolicyOnly : footer.notSet,
  ];
  if (key.kind.type === 'list') lines.push(key.kind.items === 'json' ? footer.jsonPerLine : footer.perLine);
  if (key.policyOnly) lines.push(footer.policyOnly);
  return `${text.explain[language]}\n\n${lines.join('\n')}`;
}

function formatDefault(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : JSON.stringify(value ?? '');
}
