/**
 * Whether a machine policy file may be believed: only if nobody but the machine's
 * administrators can have written it. A file, or a folder, that a standard user can write
 * lets that user plant policy (an SMS gateway that receives patients' numbers, an update
 * feed, a proxy), so such a file is ignored and reported in Diagnostics, never applied.
 *
 *   Linux / macOS  the file and its folder (the link's and the real one's) are owned by root
 *                  and writable by nobody else (no group or other write bit).
 *   Windows        the file and its folder are owned by Administrators, SYSTEM or
 *                  TrustedInstaller, and no access rule lets anyone else write, delete or
 *                  change permissions (read from the security descriptor, SDDL).
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Linux and macOS: root's alone. Checked on the real files, so it runs for real in tests. */
export function writableOnlyByRoot(path: string): boolean {
  const real = realpathSync(path);
  return [real, dirname(real), dirname(path)].every((p) => {
    const stat = statSync(p);
    return stat.uid === 0 && (stat.mode & 0o022) === 0;
  });
}

/** SYSTEM, Administrators and TrustedInstaller: the principals that own a machine's policy. */
const TRUSTED_SIDS = new Set([
  'SY',
  'BA',
  'S-1-5-18',
  'S-1-5-32-544',
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
]);
/** Principals an access rule names that are no one at access time (CREATOR OWNER, CREATOR GROUP). */
const PLACEHOLDER_SIDS = new Set(['CO', 'CG', 'S-1-3-0', 'S-1-3-1']);
/** OWNER RIGHTS: whoever owns the object (checked separately: the owner must be trusted). */
const OWNER_RIGHTS = new Set(['OW', 'S-1-3-4']);

/**
 * Rights that change a file's content, or a folder's: write or append data (add a file or
 * folder), delete a child, delete, change the permissions or the owner, generic write or
 * all, maximum allowed. Reading, executing and attribute changes are harmless.
 */
const WRITE_MASK = 0x2 | 0x4 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x2000000 | 0x10000000 | 0x40000000;
const RIGHT_LETTERS: Record<string, number> = {
  GA: 0x10000000, GR: 0x80000000, GW: 0x40000000, GX: 0x20000000,
  RC: 0x20000, SD: 0x10000, WD: 0x40000, WO: 0x80000,
  CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, RP: 0x10, WP: 0x20, DT: 0x40, LO: 0x80, CR: 0x100,
  FA: 0x1f01ff, FR: 0x120089, FW: 0x120116, FX: 0x1200a0,
  KA: 0xf003f, KR: 0x20019, KW: 0x20006, KX: 0x20019,
};

function rightsOf(text: string): number {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  let mask = 0;
  for (let i = 0; i < text.length; i += 2) {
    const bits = RIGHT_LETTERS[text.slice(i, i + 2).toUpperCase()];
    // A right this parser does not know: assume it writes (fail closed).
    mask |= bits ?? WRITE_MASK;
  }
  return mask;
}

/**
 * True when the security descriptor lets only Administrators, SYSTEM and TrustedInstaller
 * change the object: its owner is one of them (an owner can always rewrite the permissions)
 * and every allow rule that applies to the object itself and grants a write right names one
 * of them. A descriptor it cannot read is not trusted.
 */
export function sddlWritableOnlyByAdmins(sddl: string): boolean {
  const owner = /^O:([A-Z]{2}|S-[0-9-]+)/.exec(sddl)?.[1];
  if (!owner || !TRUSTED_SIDS.has(owner)) return false;
  const dacl = /D:([A-Z]*)((?:\([^)]*\))*)/.exec(sddl);
  // No DACL at all (D:NO_ACCESS_CONTROL, or none): everyone may do anything.
  if (!dacl || /NO_ACCESS_CONTROL/.test(sddl)) return false;
  for (const [, ace = ''] of dacl[2]!.matchAll(/\(([^)]*)\)/g)) {
    const [type = '', flags = '', rights = '', , , sid = ''] = ace.split(';');
    if (!['A', 'OA', 'XA', 'ZA'].includes(type)) continue; // deny and audit rules grant nothing
    if (/IO/.test(flags)) continue; // inherit-only: for children, not this object
    if ((rightsOf(rights) & WRITE_MASK) === 0) continue;
    if (TRUSTED_SIDS.has(sid) || PLACEHOLDER_SIDS.has(sid) || OWNER_RIGHTS.has(sid)) continue;
    return false;
  }
  return true;
}
