/**
 * What the console asks Windows about machine policy, behind one seam so that the policy
 * code is tested against a fake and the Windows side stays small:
 *   - where the machine's application data lives (the known folder CommonApplicationData,
 *     from the OS: %ProgramData% is an environment variable a user can set);
 *   - a file's or folder's security descriptor (SDDL), to know who can write it;
 *   - the values of the HKLM policy key.
 *
 * The Windows side runs the system's own Windows PowerShell (found through the loaded
 * ntdll.dll, not through PATH or %SystemRoot%, which a user can set): no native module to
 * build, and it is not refused by the "prevent access to registry editing tools" policy
 * that stops reg.exe. It uses only cmdlets, properties and string operations, so it also
 * runs in Constrained Language Mode (AppLocker, WDAC) where [Console]::OutputEncoding
 * cannot be set: instead it writes JSON with every character beyond ASCII escaped (\uXXXX),
 * which reads the same in any OEM code page. Any failure is an error the caller reports;
 * it never reads as "no policy".
 */
import { execFileSync } from 'node:child_process';
import { dirname, win32 } from 'node:path';

export interface WindowsPolicyHost {
  /** The CommonApplicationData known folder (C:\ProgramData). Throws when it cannot be found. */
  commonAppData(): string;
  /** The SDDL of a file or folder; null when there is none. Throws when it cannot be read. */
  securityDescriptor(path: string): string | null;
  /** The values under an HKLM key, as Windows types them (REG_DWORD a number, REG_MULTI_SZ a list); null when the key does not exist. Throws when it cannot be read. */
  registryValues(key: string): Record<string, unknown> | null;
}

/** Writes a PowerShell value as JSON in plain ASCII (Constrained Language Mode allows this). */
const ASCII_JSON =
  "function J($v) { $s = ConvertTo-Json -InputObject $v -Compress -Depth 5; -join ($s.ToCharArray() | ForEach-Object { if ([int]$_ -gt 126) { '\\u{0:x4}' -f [int]$_ } else { [string]$_ } }) }; ";

function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** HKLM\Software\... as PowerShell's provider path. */
function registryPath(key: string): string {
  return `Registry::${key.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\')}`;
}

export function commonAppDataScript(): string {
  // [Environment]::GetFolderPath is refused in Constrained Language Mode; the shell's own
  // HKLM record of the folder is the fallback (the OS writes it, not the user).
  return `$ErrorActionPreference='Stop'; ${ASCII_JSON}try { $d = [Environment]::GetFolderPath('CommonApplicationData') } catch { $d = (Get-ItemProperty -LiteralPath 'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders').'Common AppData' }; J ([string]$d)`;
}

export function securityDescriptorScript(path: string): string {
  return `$ErrorActionPreference='Stop'; ${ASCII_JSON}$p = ${quoted(path)}; if (Test-Path -LiteralPath $p) { J ((Get-Acl -LiteralPath $p).Sddl) } else { 'NONE' }`;
}

export function registryValuesScript(key: string): string {
  return `$ErrorActionPreference='Stop'; ${ASCII_JSON}$p = ${quoted(registryPath(key))}; if (Test-Path -LiteralPath $p) { J (Get-ItemProperty -LiteralPath $p | Select-Object -Property * -ExcludeProperty PSPath,PSParentPath,PSChildName,PSDrive,PSProvider) } else { 'NONE' }`;
}

/** The Windows system folder, from where the OS loaded ntdll.dll. */
export function systemDirectory(report: { sharedObjects?: string[] } | undefined = loadedModules()): string {
  const ntdll = report?.sharedObjects?.find((p) => /[\\/]ntdll\.dll$/i.test(p));
  return ntdll ? win32.dirname(ntdll) : 'C:\\Windows\\System32';
}

function loadedModules(): { sharedObjects?: string[] } | undefined {
  try {
    return process.report?.getReport() as { sharedObjects?: string[] } | undefined;
  } catch {
    return undefined;
  }
}

export type RunPowerShell = (script: string) => string;

let systemPowerShell: string | undefined;

function runSystemPowerShell(script: string): string {
  // Found once: a diagnostic report (for the loaded modules) is not free.
  const exe = (systemPowerShell ??= win32.join(systemDirectory(), 'WindowsPowerShell', 'v1.0', 'powershell.exe'));
  return execFileSync(exe, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
    encoding: 'latin1',
    windowsHide: true,
    timeout: 15_000,
    cwd: dirname(exe),
  });
}

/** Reads what a script wrote: 'NONE', or one JSON value. */
function answer(output: string): unknown {
  const text = output.trim();
  if (text === 'NONE') return undefined;
  return JSON.parse(text) as unknown;
}

export function powerShellPolicyHost(run: RunPowerShell = runSystemPowerShell): WindowsPolicyHost {
  return {
    commonAppData() {
      const folder = answer(run(commonAppDataScript()));
      if (typeof folder !== 'string' || !win32.isAbsolute(folder)) throw new Error('CommonApplicationData not found');
      return folder;
    },
    securityDescriptor(path) {
      const sddl = answer(run(securityDescriptorScript(path)));
      if (sddl === undefined) return null;
      if (typeof sddl !== 'string') throw new Error('no security descriptor');
      return sddl;
    },
    registryValues(key) {
      const values = answer(run(registryValuesScript(key)));
      if (values === undefined) return null;
      // A key without values: Get-ItemProperty gives nothing.
      if (values === null) return {};
      if (typeof values !== 'object' || Array.isArray(values)) throw new Error('unexpected registry answer');
      return values as Record<string, unknown>;
    },
  };
}
