/**
 * Our own checks on an update, in addition to electron-updater's (defence in depth). Plain
 * Node, no Electron: the unit tests run every function here against real files served by a
 * local feed. What needs Windows or macOS (running PowerShell's Get-AuthenticodeSignature,
 * or codesign) is in main/platform/updater.ts; this module only parses what they print.
 *
 * What each layer does:
 *  - electron-updater checks the downloaded file's sha512 against the feed's `latest.yml`,
 *    refuses downgrades (allowDowngrade false), and on Windows runs its own Authenticode
 *    check when app-update.yml names a publisherName; on macOS Squirrel.Mac refuses an update
 *    whose code signature does not satisfy the running app's designated requirement.
 *  - here, before anything is downloaded (`assessUpdate`): the version must be strictly newer
 *    and not a pre-release, every file must come from the feed's own origin, and every file
 *    must carry a well-formed sha512 (a feed cannot point the console at another server, or
 *    leave the checksum out);
 *  - here, on Windows, after the download and before electron-updater accepts it
 *    (`windowsUpdateVerifier`, installed as NsisUpdater.verifyUpdateCodeSignature): the
 *    file's sha512 is recomputed and must be one the approved feed entry named, and the
 *    Authenticode signature must be valid, match the publisherName the build was made with,
 *    and come from exactly the same certificate subject (every DN field, not just CN) as the
 *    running, signed console. It fails closed: any error is a refusal, where
 *    electron-updater's own verifier lets an update through when PowerShell cannot run.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { win32 } from 'node:path';

// ---------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------

interface Version {
  core: [number, number, number];
  prerelease: string[];
}

/** A semantic version (1.2.3, 1.2.3-beta.1, build metadata ignored), or null. */
export function parseVersion(text: string): Version | null {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return null;
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], prerelease: match[4] ? match[4].split('.') : [] };
}

/** Semantic-version order: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! - b.core[i]!;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// The feed's update info, before anything is downloaded
// ---------------------------------------------------------------------------------------

/** The parts of electron-updater's UpdateInfo (from latest.yml) that are checked here. */
export interface FeedUpdateInfo {
  version: string;
  files?: ReadonlyArray<{ url: string; sha512?: string | null }>;
  /** Legacy single-file fields, still written by electron-builder. */
  path?: string;
  sha512?: string;
}

/** An update the console agreed to download: its version and the sha512 of each of its files. */
export interface ApprovedUpdate {
  version: string;
  sha512s: ReadonlySet<string>;
}

export type Assessment = { ok: true; update: ApprovedUpdate } | { ok: false; reason: string };

/** A sha512 as electron-builder writes it: base64 of the 64-byte digest. */
export function isSha512Base64(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9+/]{86}==$/.test(value) && Buffer.from(value, 'base64').length === 64;
}

/**
 * Whether an update the feed offers may be downloaded at all. Refuses: an unparseable,
 * equal, older or pre-release version (a clinic runs releases; a feed that offers an older
 * build is either misconfigured or replaying an old vulnerable one), no files, a file
 * without a well-formed sha512, a file on another origin than the feed.
 */
export function assessUpdate(info: FeedUpdateInfo, context: { currentVersion: string; feedUrl: string }): Assessment {
  const offered = parseVersion(String(info.version ?? ''));
  const current = parseVersion(context.currentVersion);
  if (!offered) return { ok: false, reason: 'the feed offers no valid version' };
  if (!current) return { ok: false, reason: 'this build has no valid version' };
  if (offered.prerelease.length > 0) return { ok: false, reason: `${info.version} is a pre-release` };
  if (compareVersions(offered, current) <= 0) return { ok: false, reason: `${info.version} is not newer than ${context.currentVersion}` };

  const files = [...(info.files ?? [])];
  if (info.path) files.push({ url: info.path, sha512: info.sha512 ?? null });
  if (files.length === 0) return { ok: false, reason: 'the feed lists no files' };

  const base = new URL(context.feedUrl.endsWith('/') ? context.feedUrl : `${context.feedUrl}/`);
  const sha512s = new Set<string>();
  for (const file of files) {
    if (!isSha512Base64(file.sha512)) return { ok: false, reason: 'a file has no valid sha512' };
    let url: URL;
    try {
      url = new URL(file.url, base);
    } catch {
      return { ok: false, reason: 'a file has an invalid URL' };
    }
    if (url.origin !== base.origin) return { ok: false, reason: 'a file is not on the feed’s server' };
    sha512s.add(file.sha512);
  }
  return { ok: true, update: { version: info.version, sha512s } };
}

/** base64 SHA-512 of a file, streamed (installers are 100+ MB). */
export function sha512OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

// ---------------------------------------------------------------------------------------
// Windows: Authenticode
// ---------------------------------------------------------------------------------------

/** What Get-AuthenticodeSignature says about a file. */
export type AuthenticodeResult =
  | { status: 'valid'; subject: string; path?: string }
  | { status: 'not-signed' | 'hash-mismatch' | 'not-trusted' | 'invalid' | 'unknown'; subject?: string; path?: string };

/** PowerShell's System.Management.Automation.SignatureStatus, by number and by name. */
const SIGNATURE_STATUS: Record<string, AuthenticodeResult['status']> = {
  '0': 'valid',
  Valid: 'valid',
  '1': 'unknown',
  UnknownError: 'unknown',
  '2': 'not-signed',
  NotSigned: 'not-signed',
  '3': 'hash-mismatch',
  HashMismatch: 'hash-mismatch',
  '4': 'not-trusted',
  NotTrusted: 'not-trusted',
  '5': 'invalid',
  NotSupportedFileFormat: 'invalid',
  '6': 'invalid',
  Incompatible: 'invalid',
};

/** Where the probe finds the file to check, and where it writes its answer (environment variables). */
export const AUTHENTICODE_FILE_ENV = 'CC_AUTHENTICODE_FILE';
export const AUTHENTICODE_OUT_ENV = 'CC_AUTHENTICODE_OUT';

/**
 * The Windows PowerShell probe, safe in Constrained Language Mode (WDAC/AppLocker PCs):
 * cmdlets and a preference variable only, no type accelerator, no .NET method or static
 * property. The old probe set `[Console]::OutputEncoding`, which CLM refuses, so every update
 * there was refused. Instead of relying on the console's code page (an OEM one such as 850,
 * which turns "Sjælland" into something else or "?"), the answer goes to a file with an
 * encoding we name (`Out-File -Encoding utf8`: UTF-8 with a BOM in Windows PowerShell 5.1),
 * and `readAuthenticodeOutput` decodes it. The shape is what electron-updater's own
 * verifier reads (`SignerCertificate.Subject`; Status is the enum's number).
 */
export const AUTHENTICODE_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  `Get-AuthenticodeSignature -LiteralPath $env:${AUTHENTICODE_FILE_ENV} | Select-Object -Property Status, Path, SignerCertificate | ConvertTo-Json -Compress -Depth 2 | Out-File -LiteralPath $env:${AUTHENTICODE_OUT_ENV} -Encoding utf8`,
].join('; ');

/**
 * The probe's answer file as text, by its byte-order mark (UTF-8, UTF-16LE or UTF-16BE);
 * without one, UTF-16LE when every other byte is zero, else strict UTF-8. Null when the
 * bytes are not valid in the encoding found: a subject decoded wrongly must never be
 * compared (it could only fail to match, and "unknown" says why better).
 */
export function decodeProbeOutput(bytes: Uint8Array): string | null {
  const decode = (label: 'utf-8' | 'utf-16le' | 'utf-16be', from: number) => {
    try {
      return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from));
    } catch {
      return null;
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('utf-8', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', 2);
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return decode('utf-16le', 0);
  return decode('utf-8', 0);
}

/** What the probe wrote to its answer file: `unknown` (a refusal) when it cannot be read. */
export function readAuthenticodeOutput(bytes: Uint8Array): AuthenticodeResult {
  const text = decodeProbeOutput(bytes);
  return text === null ? { status: 'unknown' } : parseAuthenticode(text);
}

/**
 * Parses the JSON our PowerShell probe prints (`{"Status":0,"Subject":"CN=…","Path":"…"}`),
 * or Get-AuthenticodeSignature's own object as ConvertTo-Json renders it (Status, and
 * SignerCertificate.Subject). Anything unexpected is `unknown`, never `valid`.
 */
export function parseAuthenticode(stdout: string): AuthenticodeResult {
  let data: unknown;
  try {
    data = JSON.parse(stdout.replace(/^\uFEFF/, '').trim());
  } catch {
    return { status: 'unknown' };
  }
  if (typeof data !== 'object' || data === null) return { status: 'unknown' };
  const record = data as { Status?: unknown; Subject?: unknown; Path?: unknown; SignerCertificate?: { Subject?: unknown } | null };
  const status = SIGNATURE_STATUS[String(record.Status)] ?? 'unknown';
  const subject = typeof record.Subject === 'string' ? record.Subject : typeof record.SignerCertificate?.Subject === 'string' ? record.SignerCertificate.Subject : undefined;
  const path = typeof record.Path === 'string' ? record.Path : undefined;
  if (status === 'valid') return subject ? { status, subject, ...(path ? { path } : {}) } : { status: 'unknown' };
  return { status, ...(subject ? { subject } : {}), ...(path ? { path } : {}) };
}

/**
 * A distinguished name as attribute -> values (a name may repeat OU), per RFC 4514 as
 * Windows prints it: `CN="Example, Inc.", O=Example, L=Aarhus, C=DK`. Keys upper-cased,
 * values with quotes and escapes removed. Null when the text is not a DN.
 */
export function parseDn(text: string): Map<string, string[]> | null {
  const result = new Map<string, string[]>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) return null;
    const key = text.slice(i, eq).trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9.-]*$|^\d+(?:\.\d+)*$/.test(key)) return null;
    i = eq + 1;
    while (i < n && text[i] === ' ') i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i++];
      }
      if (text[i] !== '"') return null;
      i++;
      while (i < n && text[i] === ' ') i++;
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i++];
      }
      value = value.trim();
    }
    if (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') return null;
    i++;
    result.set(key, [...(result.get(key) ?? []), value]);
  }
  return result.size > 0 ? result : null;
}

/**
 * Whether a publisherName from app-update.yml names the certificate subject. A full DN
 * ("CN=Example Org, O=Example Org, C=DK") must match on every attribute it gives; a bare name
 * (what electron-builder writes by default: the certificate's common name) must equal the
 * subject's CN. A bare name alone would be weak (anyone can buy a certificate with a given
 * CN), which is why `windowsUpdateVerifier` also requires the full subject to equal that of
 * the running console.
 */
export function publisherMatches(publisherName: string, subject: string): boolean {
  const actual = parseDn(subject);
  if (!actual) return false;
  if (!publisherName.includes('=')) {
    const cn = actual.get('CN');
    return publisherName.trim() !== '' && cn?.length === 1 && cn[0] === publisherName.trim();
  }
  const wanted = parseDn(publisherName);
  if (!wanted || !wanted.has('CN')) return false;
  for (const [key, values] of wanted) {
    const have = actual.get(key);
    if (!have || have.length !== values.length || values.some((value, i) => value !== have[i])) return false;
  }
  return true;
}

/** Whether two subjects are the same DN (same attributes, same values, any order of attributes). */
export function sameSubject(a: string, b: string): boolean {
  const x = parseDn(a);
  const y = parseDn(b);
  if (!x || !y || x.size !== y.size) return false;
  for (const [key, values] of x) {
    const other = y.get(key);
    if (!other || other.length !== values.length || values.some((value, i) => value !== other[i])) return false;
  }
  return true;
}

/** electron-updater's hook type: null when the file may be installed, else why not. */
export type VerifyUpdateCodeSignature = (publisherNames: string[], path: string) => Promise<string | null>;

/**
 * Our replacement for NsisUpdater.verifyUpdateCodeSignature. electron-updater calls it with
 * the downloaded installer (before it accepts the download) and the publisherName list from
 * app-update.yml. Fails closed: an exception, a timeout, an unparseable answer are refusals.
 */
export function windowsUpdateVerifier(deps: {
  /** The update `assessUpdate` approved for download (null: none, refuse). */
  approved: () => ApprovedUpdate | null;
  /** The Authenticode subject of the running console (its own executable). */
  runningSigner: string;
  /** Runs Get-AuthenticodeSignature on a file (main/platform/updater.ts). */
  authenticode: (path: string) => Promise<AuthenticodeResult>;
  hashFile?: (path: string) => Promise<string>;
}): VerifyUpdateCodeSignature {
  const hashFile = deps.hashFile ?? sha512OfFile;
  return async (publisherNames, path) => {
    try {
      const approved = deps.approved();
      if (!approved) return 'no update was approved for download';
      const sha512 = await hashFile(path);
      if (!approved.sha512s.has(sha512)) return `the downloaded file is not the one the feed listed for ${approved.version} (sha512 differs)`;
      const signature = await deps.authenticode(path);
      if (signature.status !== 'valid') return `the installer is not validly signed (${signature.status})`;
      if (signature.path !== undefined && win32.normalize(signature.path).toLowerCase() !== win32.normalize(path).toLowerCase()) {
        return 'the signature check answered for another file';
      }
      const names = (Array.isArray(publisherNames) ? publisherNames : []).filter((name) => typeof name === 'string' && name.trim() !== '');
      if (names.length === 0) return 'this build names no publisher to check against';
      if (!names.some((name) => publisherMatches(name, signature.subject))) return 'the installer is signed by another publisher';
      if (!sameSubject(signature.subject, deps.runningSigner)) return 'the installer is not signed by the signer of this installation';
      return null;
    } catch (error) {
      // The error's code or name only: its message may hold a path with the user's name in it.
      const code = (error as { code?: unknown } | null)?.code;
      return `the update could not be verified (${typeof code === 'string' ? code : error instanceof Error ? error.name : 'error'})`;
    }
  };
}

// ---------------------------------------------------------------------------------------
// macOS: codesign
// ---------------------------------------------------------------------------------------

export type MacSignature = { status: 'developer-id'; teamId: string; authority: string } | { status: 'ad-hoc' | 'unsigned' | 'not-developer-id'; detail: string };

/**
 * Parses `codesign -dv --verbose=2 <app>` (it prints to stderr). Updates need a Developer ID
 * signature with a team: Squirrel.Mac accepts an update only if it satisfies the running
 * app's designated requirement, which for an ad-hoc signature is the exact code hash of this
 * build (no update can ever satisfy it) and for an unsigned app does not exist.
 */
export function parseCodesignDisplay(output: string): MacSignature {
  if (/not signed at all/i.test(output)) return { status: 'unsigned', detail: 'code object is not signed at all' };
  if (/^Signature=adhoc$/m.test(output)) return { status: 'ad-hoc', detail: 'ad-hoc signature' };
  const authority = /^Authority=(Developer ID Application: .+)$/m.exec(output)?.[1];
  const teamId = /^TeamIdentifier=([A-Z0-9]{10})$/m.exec(output)?.[1];
  if (authority && teamId) return { status: 'developer-id', teamId, authority };
  return { status: 'not-developer-id', detail: /^Authority=(.+)$/m.exec(output)?.[1] ?? 'no signing authority' };
}

// ---------------------------------------------------------------------------------------
// The installation
// ---------------------------------------------------------------------------------------

/**
 * Whether app-update.yml (written by electron-builder next to the app's resources) exists
 * and names a publisher. electron-updater 6 reads publisherName from that file even when the
 * feed comes from setFeedURL; without it, it skips the Windows signature check altogether
 * (and never calls our verifier). Only the presence is checked here; the names themselves
 * reach our verifier from electron-updater, parsed by its own YAML reader.
 */
export function updateConfigFacts(text: string | null): { present: boolean; publisherName: boolean } {
  if (text === null) return { present: false, publisherName: false };
  const inline = /^publisherName:[ \t]*(\S.*)$/m.exec(text)?.[1]?.trim();
  const listed = /^publisherName:[ \t]*\r?\n[ \t]+-[ \t]*(\S.*)$/m.exec(text)?.[1]?.trim();
  const value = inline ?? listed;
  return { present: true, publisherName: value !== undefined && !/^(?:''|""|null|~|\[\])$/.test(value) };
}

/**
 * How the console was installed on Windows, from what the installers leave behind:
 *  - `nsis`: electron-builder's NSIS installer always writes `Uninstall <product>.exe` next to
 *    the executable (templates/nsis: `File "/oname=${UNINSTALL_FILENAME}"`); it is the only
 *    installation electron-updater knows how to update.
 *  - `msi`: no such uninstaller, and the executable is under Program Files: electron-builder's
 *    MSI target (perMachine) installs there, and Windows Installer owns those files. An NSIS
 *    update would install a second, per-user copy beside it; IT deploys a newer MSI instead.
 *  - `unknown`: neither (a copied folder, a portable build): nothing can update it safely.
 * Both checks are plain file-system facts that the MSI cannot fake by accident; electron-
 * builder's MSI sets no registry value or marker file of its own to look for.
 */
export function windowsInstallKind(opts: { execPath: string; productFilename: string; exists: (path: string) => boolean; env: Record<string, string | undefined> }): 'nsis' | 'msi' | 'unknown' {
  const dir = win32.dirname(opts.execPath);
  if (opts.exists(win32.join(dir, `Uninstall ${opts.productFilename}.exe`))) return 'nsis';
  const programFiles = [opts.env.ProgramFiles, opts.env.ProgramW6432, opts.env['ProgramFiles(x86)']].filter((p): p is string => !!p);
  const exe = win32.normalize(opts.execPath).toLowerCase();
  if (programFiles.some((root) => exe.startsWith(win32.normalize(root).toLowerCase().replace(/\\?$/, '\\')))) return 'msi';
  return 'unknown';
}
