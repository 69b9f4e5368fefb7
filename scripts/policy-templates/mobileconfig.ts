/**
 * The example macOS configuration profile: a Managed Preferences payload
 * (com.apple.ManagedClient.preferences, "Forced") for the console's domain, so macOS writes
 * exactly the settings, and nothing of the profile's own keys, to
 * /Library/Managed Preferences/eu.clinicianconsole.app.plist, which the console reads
 * (main/settings/policy.ts). Device scope: the console reads no per-user managed preferences.
 */
import type { PolicyKey } from './keys';
import { escapeXml } from './xml';

/** The app's bundle id (electron-builder.yml appId) and the console's preference domain. */
export const PREFERENCE_DOMAIN = 'eu.clinicianconsole.app';
// Fixed, so the generated file is the same on every build; IT may keep or replace them.
const PROFILE_UUID = 'A0659649-E761-420A-97BD-D542A46883B0';
const PAYLOAD_UUID = '8E6D067E-0082-45F2-ADE8-5D3F8A0EBEE1';

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

export function renderMobileconfig(keys: readonly PolicyKey[], examples: Readonly<Record<string, unknown>>): string {
  const settings: Record<string, PlistValue> = {};
  for (const key of keys) {
    const value = examples[key.name];
    if (value === undefined) throw new Error(`"${key.name}" has no example value (scripts/policy-templates/examples.ts)`);
    settings[key.name] = value as PlistValue;
  }
  for (const name of Object.keys(examples))
    if (!keys.some((k) => k.name === name)) throw new Error(`an example value for "${name}", which is not a setting`);

  const profile: Record<string, PlistValue> = {
    PayloadContent: [
      {
        PayloadContent: { [PREFERENCE_DOMAIN]: { Forced: [{ mcx_preference_settings: settings }] } },
        PayloadDisplayName: 'Clinician Console settings',
        PayloadIdentifier: `${PREFERENCE_DOMAIN}.policy.settings`,
        PayloadType: 'com.apple.ManagedClient.preferences',
        PayloadUUID: PAYLOAD_UUID,
        PayloadVersion: 1,
      },
    ],
    PayloadDescription:
      'Example policy for Clinician Console with every setting. Every setting in it is locked for the user: delete the ones you do not mean to set, and replace the placeholders. See resources/policy/README.md.',
    PayloadDisplayName: 'Clinician Console policy (example)',
    PayloadIdentifier: `${PREFERENCE_DOMAIN}.policy`,
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: PROFILE_UUID,
    PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    ...plist(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}

function plist(value: PlistValue, indent: string): string[] {
  if (typeof value === 'boolean') return [`${indent}<${value}/>`];
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`${value}: the settings hold whole numbers only`);
    return [`${indent}<integer>${value}</integer>`];
  }
  if (typeof value === 'string') return [`${indent}<string>${escapeXml(value)}</string>`];
  if (Array.isArray(value))
    return value.length === 0 ? [`${indent}<array/>`] : [`${indent}<array>`, ...value.flatMap((v) => plist(v, indent + '\t')), `${indent}</array>`];
  return [
    `${indent}<dict>`,
    ...Object.entries(value).flatMap(([key, v]) => [`${indent}\t<key>${escapeXml(key)}</key>`, ...plist(v, indent + '\t')]),
    `${indent}</dict>`,
  ];
}
