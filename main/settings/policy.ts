/**
 * Hospital IT's managed policy, and how it combines with the user's settings.
 *
 * Effective settings, lowest first: built-in defaults < the settings file
 * (CLINICIAN_CONSOLE_CONFIG) < policy. A key set by policy is locked: the user cannot
 * change it. Policy is read from where each OS keeps machine policy:
 *   Windows  HKLM\Software\Policies\ClinicianConsole (REG_SZ / REG_DWORD / REG_MULTI_SZ)
 *            and <CommonApplicationData>\ClinicianConsole\policy.json
 *   macOS    /Library/Managed Preferences/eu.clinicianconsole.app.plist (an MDM profile)
 *   Linux    /etc/clinician-console/policy.json
 *
 * Policy has to survive a fleet where consoles of several versions run at once:
 *   - a key this version does not know (IT rolled out a newer one) is ignored and listed in
 *     Diagnostics, never a reason not to start;
 *   - a source that exists but cannot be read, or a policy file that someone other than the
 *     machine's administrators can write, is not applied and is listed in Diagnostics with
 *     its reason, never silently "no policy";
 *   - a bad value for a known key still stops the start on the error screen naming the key
 *     and the source: a console never starts half-configured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../ipc/router';
import { sddlWritableOnlyByAdmins, writableOnlyByRoot } from './policy-file-trust';
import { POLICY_ONLY_KEYS, SettingsError, SettingsSchema, type Settings } from './settings';
import { powerShellPolicyHost, type WindowsPolicyHost } from './windows-policy-host';

export type SettingKey = keyof Settings;
export type SettingSource = 'default' | 'settings file' | 'policy';

/**
 * Why a policy source was not applied:
 *   writable-by-others  a policy file or its folder that a non-administrator can write
 *   unreadable          the file exists but could not be read
 *   reader-failed       the OS's reader (PowerShell, plutil) failed or was refused
 *   location-unknown    the OS did not say where machine policy files live
 */
export type PolicyProblemReason = 'writable-by-others' | 'unreadable' | 'reader-failed' | 'location-unknown';

export interface PolicyProblem {
  source: string;
  reason: PolicyProblemReason;
  /** A technical code (errno), never text from the source. */
  detail?: string;
}

export interface EffectiveSettings {
  settings: Settings;
  /** Where each key's value came from. */
  sources: Record<SettingKey, SettingSource>;
  /** Keys set by policy: shown as locked, never changed by the user. */
  locked: SettingKey[];
  /** The policy sources that were found and applied (for diagnostics). */
  policySources: string[];
  /** Policy keys this version does not know, ignored (key and source; never the value). */
  ignoredPolicyKeys: Array<{ key: string; source: string }>;
  /** Policy sources that exist but were not applied, and why. */
  policyProblems: PolicyProblem[];
  /** The policy files whose changes the running console can watch (policy-watch.ts). */
  watchFiles?: string[];
}

/** A policy source exists but cannot be used: reported in Diagnostics, not applied. */
export class PolicyUnreadable extends Error {
  override name = 'PolicyUnreadable';
  constructor(
    readonly reason: PolicyProblemReason,
    readonly detail?: string,
  ) {
    super(`policy source not applied: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/**
 * A place policy may come from. `read` returns null when the source does not exist, throws
 * PolicyUnreadable when it exists but cannot be used, and SettingsError when its content is
 * malformed (IT's mistake, shown on the error screen).
 */
export interface PolicySource {
  name: string;
  read(): Record<string, unknown> | null;
  /** A file whose changes can be watched while the console runs (not the registry). */
  file?: string;
}

const keys = Object.keys(SettingsSchema.shape) as SettingKey[];

function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,30}$/.test(code) ? code : undefined;
}

/**
 * A JSON policy file. `trusted` (machine policy files) says whether only administrators can
 * have written it; a file that fails it is not applied. The development file named by
 * CLINICIAN_CONSOLE_POLICY has no such check.
 */
export function jsonFilePolicy(path: string, opts: { trusted?: (path: string) => boolean } = {}): PolicySource {
  return {
    name: path,
    file: path,
    read() {
      if (!existsSync(path)) return null;
      let trusted: boolean;
      try {
        trusted = opts.trusted ? opts.trusted(path) : true;
      } catch (error) {
        throw new PolicyUnreadable('reader-failed', errnoOf(error));
      }
      if (!trusted) throw new PolicyUnreadable('writable-by-others');
      return readJsonPolicyFile(path);
    },
  };
}

/** The content of a policy file that exists: unreadable is reported, malformed stops the start. */
function readJsonPolicyFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyUnreadable('unreadable', errnoOf(error));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`The policy file ${path} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SettingsError(`The policy file ${path} must hold a JSON object of settings.`);
  return raw as Record<string, unknown>;
}

export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\ClinicianConsole';

/**
 * Windows registry policy, as Windows types it: lists are REG_MULTI_SZ; booleans and numbers
 * REG_DWORD (a boolean key reads a DWORD as 0 or not); everything else REG_SZ.
 */
export function registryPolicy(host: WindowsPolicyHost, key = WINDOWS_POLICY_KEY): PolicySource {
  return {
    name: key,
    read() {
      let values: Record<string, unknown> | null;
      try {
        values = host.registryValues(key);
      } catch (error) {
        throw new PolicyUnreadable('reader-failed', errnoOf(error));
      }
      return values === null ? null : typedRegistryValues(values);
    },
  };
}

export function typedRegistryValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'number' && isBooleanKey(name) ? value !== 0 : value]));
}

function isBooleanKey(name: string): boolean {
  const field = (SettingsSchema.shape as Record<string, z.ZodType>)[name];
  return field !== undefined && field.safeParse(true).success && !field.safeParse(1).success;
}

/**
 * The Windows machine policy file, <CommonApplicationData>\ClinicianConsole\policy.json,
 * where the OS says that folder is; applied only when its folder and the file are writable
 * by administrators alone (a standard user may create folders in ProgramData, and an
 * administrator's new folder there inherits "Users may create files").
 */
export function windowsPolicyFile(host: WindowsPolicyHost): PolicySource {
  let folder: string;
  try {
    folder = host.commonAppData();
  } catch (error) {
    return {
      name: 'CommonApplicationData\\ClinicianConsole\\policy.json',
      read() {
        throw new PolicyUnreadable('location-unknown', errnoOf(error));
      },
    };
  }
  const path = join(folder, 'ClinicianConsole', 'policy.json');
  return {
    name: path,
    read() {
      // Existence too comes from the seam (Get-Acl), in the same breath as the permissions.
      let trusted: boolean;
      try {
        const file = host.securityDescriptor(path);
        if (file === null) return null;
        const parent = host.securityDescriptor(dirname(path));
        trusted = parent !== null && sddlWritableOnlyByAdmins(parent) && sddlWritableOnlyByAdmins(file);
      } catch (error) {
        throw new PolicyUnreadable('reader-failed', errnoOf(error));
      }
      if (!trusted) throw new PolicyUnreadable('writable-by-others');
      return readJsonPolicyFile(path);
    },
  };
}

/** macOS managed preferences (an MDM configuration profile), converted with plutil. */
export function managedPreferencesPolicy(
  path = '/Library/Managed Preferences/eu.clinicianconsole.app.plist',
  toJson: (path: string) => string = (p) => execFileSync('/usr/bin/plutil', ['-convert', 'json', '-o', '-', p], { encoding: 'utf8', timeout: 5000 }),
): PolicySource {
  return {
    name: path,
    file: path,
    read() {
      if (!existsSync(path)) return null;
      let raw: unknown;
      try {
        raw = JSON.parse(toJson(path));
      } catch (error) {
        throw new PolicyUnreadable('reader-failed', errnoOf(error));
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PolicyUnreadable('reader-failed');
      return raw as Record<string, unknown>;
    },
  };
}

export const LINUX_POLICY_FILE = '/etc/clinician-console/policy.json';

/**
 * The policy sources of this OS, lowest precedence first. `linuxFile`: where Linux's machine
 * policy file is (development and tests may put it elsewhere; it is checked the same way).
 */
export function platformPolicySources(
  platform: NodeJS.Platform = process.platform,
  windows: () => WindowsPolicyHost = powerShellPolicyHost,
  linuxFile: string = LINUX_POLICY_FILE,
): PolicySource[] {
  if (platform === 'win32') {
    const host = windows();
    return [windowsPolicyFile(host), registryPolicy(host)];
  }
  if (platform === 'darwin') return [managedPreferencesPolicy()];
  return [jsonFilePolicy(linuxFile, { trusted: writableOnlyByRoot })];
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
  const policyProblems: PolicyProblem[] = [];
  const policyValues = opts.policies.map((source) => ({ source, values: readPolicy(source, policyProblems) }));
  const userFileAllowed = !opts.installed || policyValues.some(({ values }) => values?.allowUserSettingsFile === true);

  if (opts.settingsFile && userFileAllowed) {
    // The user's own file: a typo there is theirs to fix now, so an unknown key is refused.
    const unknown = unknownKeys(opts.settingsFile);
    if (unknown.length) throw new SettingsError(`Unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} in the settings file.`);
    const policyOnly = Object.keys(opts.settingsFile).filter((k) => (POLICY_ONLY_KEYS as readonly string[]).includes(k));
    if (policyOnly.length)
      throw new SettingsError(`${policyOnly.map((k) => `"${k}"`).join(', ')} can only be set by IT's policy, not in the settings file.`);
    Object.assign(merged, opts.settingsFile);
    for (const k of Object.keys(opts.settingsFile) as SettingKey[]) sources[k] = 'settings file';
  }

  const locked = new Set<SettingKey>();
  const applied: string[] = [];
  const ignoredPolicyKeys: EffectiveSettings['ignoredPolicyKeys'] = [];
  for (const { source, values: all } of policyValues) {
    if (all === null) continue;
    // A key from a newer version's policy: IT rolls policy out to a fleet of several
    // versions, and an older console must still start at the beginning of a shift.
    for (const key of unknownKeys(all)) ignoredPolicyKeys.push({ key, source: source.name });
    const known = Object.fromEntries(Object.entries(all).filter(([k]) => keys.includes(k as SettingKey)));
    // The same inside a known key's objects (a newer console's field of a conference server).
    const values = withoutUnknownNestedKeys(known, (key) => ignoredPolicyKeys.push({ key, source: source.name }));
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
  const watchFiles = opts.policies.flatMap((source) => (source.file ? [source.file] : []));
  return { settings: parsed.data, sources, locked: [...locked], policySources: applied, ignoredPolicyKeys, policyProblems, watchFiles };
}

function readPolicy(source: PolicySource, problems: PolicyProblem[]): Record<string, unknown> | null {
  try {
    return source.read();
  } catch (error) {
    if (!(error instanceof PolicyUnreadable)) throw error;
    problems.push({ source: source.name, reason: error.reason, ...(error.detail ? { detail: error.detail } : {}) });
    return null;
  }
}

/**
 * A copy of `values` without the fields the schema's strict objects do not know, each reported
 * by its path (`conferenceServers[0].tls`), never its value. The schema says which fields are
 * unknown (zod's unrecognized_keys), so this follows it wherever a strict object sits, a
 * registry line's JSON included. Anything else wrong is left for the validation to name.
 */
export function withoutUnknownNestedKeys(values: Record<string, unknown>, ignored: (path: string) => void): Record<string, unknown> {
  const copy = structuredClone(values);
  // Each pass removes every unknown field the schema reports; objects nest only a few deep.
  for (let pass = 0; pass < 8; pass += 1) {
    const result = SettingsSchema.partial().safeParse(copy);
    const unknown = result.success ? [] : result.error.issues.filter((issue) => issue.code === 'unrecognized_keys' && issue.path.length > 0);
    if (unknown.length === 0) break;
    for (const issue of unknown) {
      const holder = objectAt(copy, issue.path);
      if (!holder || issue.code !== 'unrecognized_keys') continue;
      for (const key of issue.keys) {
        delete holder[key];
        ignored(`${pathText(issue.path)}.${key}`);
      }
    }
  }
  return copy;
}

/** The object at `path`; a registry line holding JSON is parsed in place, so its fields can go. */
function objectAt(root: Record<string, unknown>, path: readonly PropertyKey[]): Record<string, unknown> | null {
  let parent: Record<string | number, unknown> = root;
  for (const [i, step] of path.entries()) {
    if (typeof step === 'symbol') return null;
    let next = parent[step];
    if (typeof next === 'string' && i === path.length - 1) {
      try {
        next = JSON.parse(next) as unknown;
      } catch {
        return null;
      }
      parent[step] = next;
    }
    if (typeof next !== 'object' || next === null) return null;
    parent = next as Record<string | number, unknown>;
  }
  return Array.isArray(parent) ? null : parent;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i > 0 ? '.' : ''}${String(step)}`)).join('');
}

function unknownKeys(values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((k) => !keys.includes(k as SettingKey));
}
