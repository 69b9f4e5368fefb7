/**
 * Hospital IT's managed policy, and how it combines with the user's settings.
 *
 * Effective settings, lowest first: built-in defaults < the settings file
 * (CLINICIAN_CONSOLE_CONFIG) < policy. A key set by policy is locked: the user cannot
 * change it. Policy is read from where each OS keeps machine policy:
 *   Windows  HKLM\Software\Policies\ClinicianConsole (REG_SZ / REG_DWORD / REG_MULTI_SZ)
 *            and %ProgramData%\ClinicianConsole\policy.json
 *   macOS    /Library/Managed Preferences/eu.clinicianconsole.app.plist (an MDM profile)
 *   Linux    /etc/clinician-console/policy.json
 * Every source goes through the settings schema; an unknown key or a bad value is an
 * error naming the key and the source, and the console refuses to start half-configured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../ipc/router';
import { POLICY_ONLY_KEYS, SettingsError, SettingsSchema, type Settings } from './settings';

export type SettingKey = keyof Settings;
export type SettingSource = 'default' | 'settings file' | 'policy';

export interface EffectiveSettings {
  settings: Settings;
  /** Where each key's value came from. */
  sources: Record<SettingKey, SettingSource>;
  /** Keys set by policy: shown as locked, never changed by the user. */
  locked: SettingKey[];
  /** The policy sources that were found and applied (for diagnostics). */
  policySources: string[];
}

/** A place policy may come from. `read` returns null when the source does not exist. */
export interface PolicySource {
  name: string;
  read(): Record<string, unknown> | null;
}

const keys = Object.keys(SettingsSchema.shape) as SettingKey[];

export function jsonFilePolicy(path: string): PolicySource {
  return {
    name: path,
    read() {
      if (!existsSync(path)) return null;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new SettingsError(`The policy file ${path} is not valid JSON (${(error as Error).message}).`);
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new SettingsError(`The policy file ${path} must hold a JSON object of settings.`);
      return raw as Record<string, unknown>;
    },
  };
}

/**
 * Windows registry policy, read with `reg query` (no native module needed). Lists are
 * REG_MULTI_SZ; booleans and numbers are REG_DWORD; everything else REG_SZ.
 */
export function registryPolicy(key = 'HKLM\\Software\\Policies\\ClinicianConsole', query = runRegQuery): PolicySource {
  return {
    name: key,
    read() {
      const output = query(key);
      return output === null ? null : parseRegQuery(output);
    },
  };
}

function runRegQuery(key: string): string | null {
  try {
    return execFileSync('reg', ['query', key], { encoding: 'utf8', windowsHide: true, timeout: 5000 });
  } catch {
    return null; // no such key: no registry policy
  }
}

/** Parses `reg query` output into typed values, by the schema's idea of each key. */
export function parseRegQuery(output: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s{4}(\S+)\s{4}(REG_SZ|REG_EXPAND_SZ|REG_DWORD|REG_MULTI_SZ)\s{4}?(.*)$/.exec(line);
    if (!match) continue;
    const [, name, type, data = ''] = match as unknown as [string, string, string, string];
    if (type === 'REG_DWORD') {
      const number = Number.parseInt(data, 16);
      values[name] = isBooleanKey(name) ? number !== 0 : number;
    } else if (type === 'REG_MULTI_SZ') values[name] = data === '' ? [] : data.split('\\0').filter(Boolean);
    else values[name] = data;
  }
  return values;
}

function isBooleanKey(name: string): boolean {
  const field = (SettingsSchema.shape as Record<string, z.ZodType>)[name];
  return field !== undefined && field.safeParse(true).success && !field.safeParse(1).success;
}

/** macOS managed preferences (an MDM configuration profile), converted with plutil. */
export function managedPreferencesPolicy(
  path = '/Library/Managed Preferences/eu.clinicianconsole.app.plist',
  toJson: (path: string) => string = (p) => execFileSync('plutil', ['-convert', 'json', '-o', '-', p], { encoding: 'utf8', timeout: 5000 }),
): PolicySource {
  return {
    name: path,
    read() {
      if (!existsSync(path)) return null;
      try {
        return JSON.parse(toJson(path));
      } catch {
        throw new SettingsError(`The managed preferences in ${path} could not be read.`);
      }
    },
  };
}

/** The policy sources of this OS, lowest precedence first. */
export function platformPolicySources(platform: NodeJS.Platform = process.platform, env = process.env): PolicySource[] {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? 'C:\\ProgramData';
    return [jsonFilePolicy(join(programData, 'ClinicianConsole', 'policy.json')), registryPolicy()];
  }
  if (platform === 'darwin') return [managedPreferencesPolicy()];
  return [jsonFilePolicy('/etc/clinician-console/policy.json')];
}

export function resolveSettings(opts: {
  settingsFile?: Record<string, unknown>;
  policies: PolicySource[];
  /**
   * An installed console: the user's settings file counts only where IT's policy says
   * allowUserSettingsFile (otherwise anyone who can set an environment variable could point
   * the console at another server). Development builds and the browser host always read it.
   */
  installed?: boolean;
}): EffectiveSettings {
  const sources = Object.fromEntries(keys.map((k) => [k, 'default'])) as Record<SettingKey, SettingSource>;
  const merged: Record<string, unknown> = {};
  const policyValues = opts.policies.map((source) => ({ source, values: source.read() }));
  const userFileAllowed = !opts.installed || policyValues.some(({ values }) => values?.allowUserSettingsFile === true);

  if (opts.settingsFile && userFileAllowed) {
    checkKeys(opts.settingsFile, 'the settings file');
    const policyOnly = Object.keys(opts.settingsFile).filter((k) => (POLICY_ONLY_KEYS as readonly string[]).includes(k));
    if (policyOnly.length)
      throw new SettingsError(`${policyOnly.map((k) => `"${k}"`).join(', ')} can only be set by IT's policy, not in the settings file.`);
    Object.assign(merged, opts.settingsFile);
    for (const k of Object.keys(opts.settingsFile) as SettingKey[]) sources[k] = 'settings file';
  }

  const locked = new Set<SettingKey>();
  const applied: string[] = [];
  for (const { source, values } of policyValues) {
    if (values === null) continue;
    checkKeys(values, `policy ${source.name}`);
    // Each source on its own must be valid, so the error names the source that is wrong.
    const alone = SettingsSchema.partial().safeParse(values);
    if (!alone.success) throw new SettingsError(`Invalid policy in ${source.name}: ${describeIssues(alone.error)}`);
    Object.assign(merged, values);
    for (const k of Object.keys(values) as SettingKey[]) {
      sources[k] = 'policy';
      locked.add(k);
    }
    applied.push(source.name);
  }

  const parsed = SettingsSchema.safeParse(merged);
  if (!parsed.success) throw new SettingsError(`Invalid settings: ${describeIssues(parsed.error)}`);
  return { settings: parsed.data, sources, locked: [...locked], policySources: applied };
}

function checkKeys(values: Record<string, unknown>, where: string): void {
  const unknown = Object.keys(values).filter((k) => !keys.includes(k as SettingKey));
  if (unknown.length) throw new SettingsError(`Unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} in ${where}.`);
}
