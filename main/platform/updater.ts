/**
 * Electron-only wiring of the update policy (main/updates/update-policy.ts): when IT's
 * policy names a private feed, look at the installation (how it was installed, whether it
 * is signed), and only if an update could be verified, arm electron-updater with our checks
 * (main/updates/update-guard.ts) and check the feed at start and every few hours, never
 * during a call. A downloaded update is applied only when the console quits.
 *
 * What is verified where (be precise when telling IT):
 *  - here, under Node on every OS, by the unit tests: the decisions, the parsing of what
 *    PowerShell and codesign print, our sha512/version/origin checks and the Windows
 *    verifier's refusals, against a real electron-updater NsisUpdater and a local feed;
 *  - only on Windows (the release runner and the clinic's PCs): Get-AuthenticodeSignature
 *    itself, i.e. that a real signature is valid and chains to a trusted root;
 *  - only on macOS: codesign's verdict and Squirrel.Mac's check of the update's signature
 *    against the running app's designated requirement.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, win32 } from 'node:path';
import type { Logger } from '../log/logger';
import type { Settings } from '../settings/settings';
import { armUpdater, type UpdaterStatus } from '../updates/update-guard';
import { policyGate, updaterConfig, type InstallFacts } from '../updates/update-policy';
import {
  AUTHENTICODE_FILE_ENV,
  AUTHENTICODE_OUT_ENV,
  AUTHENTICODE_SCRIPT,
  parseCodesignDisplay,
  readAuthenticodeOutput,
  updateConfigFacts,
  windowsInstallKind,
  type AuthenticodeResult,
} from '../updates/update-verification';

/** electron-builder's productFilename for productName "Clinician Console" (names the NSIS uninstaller). */
export const PRODUCT_FILENAME = 'Clinician Console';

/** The stop function main/index.ts keeps, with the updater's status for Diagnostics. */
export type UpdaterHandle = (() => void) & { readonly status: () => UpdaterStatus };

export async function startUpdater(opts: {
  settings: Settings;
  isPackaged: boolean;
  callActive: () => boolean;
  log: Logger;
  /** How the installation is looked at; the real probe by default. */
  probe?: () => Promise<InstallFacts>;
}): Promise<UpdaterHandle> {
  const handle = (stop: () => void, status: () => UpdaterStatus): UpdaterHandle => Object.assign(stop, { status });
  const gate = policyGate(opts.settings, opts.isPackaged);
  if (gate) {
    opts.log.info(`updates: off (${gate.reason})`);
    return handle(() => {}, () => gate);
  }
  const config = updaterConfig(opts.settings, opts.isPackaged, await (opts.probe ?? probeInstall)());
  if (!config.enabled) {
    opts.log.warn(`updates: off (${config.reason})`);
    return handle(() => {}, () => config);
  }
  // Loaded only when enabled: it reads the app's files and talks to the feed.
  const { autoUpdater } = (await import('electron-updater')).default;
  const armed = armUpdater(autoUpdater, { config, log: opts.log, callActive: opts.callActive, authenticode: (file) => probeAuthenticode(file) });
  armed.check();
  const timer = setInterval(() => armed.check(), config.checkEveryMs);
  return handle(() => clearInterval(timer), () => armed.status());
}

/** Runs a program without a shell; resolves with its output whatever its exit code. */
export type RunFile = (
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeout: number },
) => Promise<{ stdout: string; stderr: string; code: number | null }>;

const runFile: RunFile = (file, args, options) =>
  new Promise((resolve) => {
    execFile(file, [...args], { ...options, windowsHide: true, encoding: 'utf8', maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
  });

/**
 * Get-AuthenticodeSignature on a file, through Windows PowerShell by its full path (not
 * whatever "powershell" PATH finds), the file passed in an environment variable (never
 * spliced into the command: no quoting to get wrong), PSModulePath cleared (PowerShell 7's
 * modules break Windows PowerShell 5's, see electron-builder#7127). The script is safe in
 * Constrained Language Mode and writes its answer, UTF-8, to a file in a private temporary
 * folder (AUTHENTICODE_SCRIPT says why). Any failure is `unknown`, which every caller treats
 * as a refusal.
 */
export async function probeAuthenticode(file: string, run: RunFile = runFile, env: NodeJS.ProcessEnv = process.env): Promise<AuthenticodeResult> {
  const powershell = win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const { PSModulePath: _ignored, ...rest } = env;
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'cc-authenticode-'));
    const out = join(dir, 'answer.json');
    const result = await run(powershell, ['-NoProfile', '-NonInteractive', '-InputFormat', 'None', '-Command', AUTHENTICODE_SCRIPT], {
      env: { ...rest, [AUTHENTICODE_FILE_ENV]: file, [AUTHENTICODE_OUT_ENV]: out },
      timeout: 30_000,
    });
    if (result.code !== 0) return { status: 'unknown' };
    return readAuthenticodeOutput(await readFile(out));
  } catch {
    return { status: 'unknown' };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The .app bundle of the running executable (…/X.app/Contents/MacOS/X), or null. */
export function appBundleOf(execPath: string): string | null {
  const bundle = dirname(dirname(dirname(execPath)));
  return bundle.endsWith('.app') ? bundle : null;
}

/** The running app's macOS signature: codesign --verify must pass, and it must be a Developer ID. */
export async function probeCodesign(bundle: string, run: RunFile = runFile): Promise<InstallFacts['signature']> {
  try {
    const verify = await run('/usr/bin/codesign', ['--verify', '--strict', bundle], { timeout: 30_000 });
    if (verify.code !== 0) return { valid: false, detail: 'codesign --verify failed' };
    const display = await run('/usr/bin/codesign', ['-dv', '--verbose=2', bundle], { timeout: 30_000 });
    const signature = parseCodesignDisplay(`${display.stderr}\n${display.stdout}`);
    return signature.status === 'developer-id' ? { valid: true, signer: signature.authority } : { valid: false, detail: signature.detail };
  } catch {
    return { valid: false, detail: 'codesign could not run' };
  }
}

/** Looks at the running installation (see InstallFacts). Packaged apps only. */
export async function probeInstall(): Promise<InstallFacts> {
  const text = await readFile(join(process.resourcesPath, 'app-update.yml'), 'utf8').catch(() => null);
  const updateConfig = updateConfigFacts(text);
  if (process.platform === 'win32') {
    const installKind = windowsInstallKind({ execPath: process.execPath, productFilename: PRODUCT_FILENAME, exists: existsSync, env: process.env });
    // Only worth a PowerShell run when the answer can matter.
    if (installKind !== 'nsis') return { platform: 'win32', installKind, signature: { valid: false, detail: 'not checked' }, updateConfig };
    const own = await probeAuthenticode(process.execPath);
    const signature: InstallFacts['signature'] = own.status === 'valid' ? { valid: true, signer: own.subject } : { valid: false, detail: `Authenticode: ${own.status}` };
    return { platform: 'win32', installKind, signature, updateConfig };
  }
  if (process.platform === 'darwin') {
    const bundle = appBundleOf(process.execPath);
    const signature: InstallFacts['signature'] = bundle ? await probeCodesign(bundle) : { valid: false, detail: 'not in an app bundle' };
    return { platform: 'darwin', installKind: 'app-bundle', signature, updateConfig };
  }
  return { platform: process.platform, installKind: 'other', signature: { valid: false, detail: 'not checked' }, updateConfig };
}
