/**
 * Loads the effective settings: defaults < settings file < managed policy.
 *
 * CLINICIAN_CONSOLE_POLICY names an extra policy file; it is honoured only where the
 * caller allows it (development, tests, the browser host), never in an installed build,
 * where a user who can set environment variables must not be able to override IT. Where it is
 * allowed, CLINICIAN_CONSOLE_MACHINE_POLICY also moves Linux's machine policy file (normally
 * /etc/clinician-console/policy.json) elsewhere, still checked as one: applied only when root
 * alone can write it (the e2e suite's temp folders).
 */
import { readFileSync } from 'node:fs';
import { platformPolicySources, jsonFilePolicy, resolveSettings, type EffectiveSettings, type PolicySource } from './policy';
import { powerShellPolicyHost } from './windows-policy-host';
import { SettingsError } from './settings';

export function loadEffectiveSettings(opts: {
  env: NodeJS.ProcessEnv;
  /** Development, tests, the browser host: CLINICIAN_CONSOLE_POLICY counts (never in an installed build). */
  allowEnvPolicy: boolean;
  /** An installed build: the settings file counts only where IT's policy allows it. */
  installed?: boolean;
  policies?: PolicySource[];
}): EffectiveSettings {
  const machineFile = opts.allowEnvPolicy ? opts.env.CLINICIAN_CONSOLE_MACHINE_POLICY || undefined : undefined;
  const policies = [...(opts.policies ?? platformPolicySources(process.platform, powerShellPolicyHost, machineFile))];
  if (opts.allowEnvPolicy && opts.env.CLINICIAN_CONSOLE_POLICY) policies.push(jsonFilePolicy(opts.env.CLINICIAN_CONSOLE_POLICY));
  return resolveSettings({ settingsFile: readSettingsFile(opts.env.CLINICIAN_CONSOLE_CONFIG), policies, installed: opts.installed ?? false });
}

function readSettingsFile(path: string | undefined): Record<string, unknown> | undefined {
  if (!path) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingsError(`Could not read the settings file named by CLINICIAN_CONSOLE_CONFIG (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SettingsError('The settings file must hold a JSON object.');
  return raw as Record<string, unknown>;
}
