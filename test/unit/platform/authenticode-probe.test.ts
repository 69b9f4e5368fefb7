/**
 * The Windows signature probe under Constrained Language Mode (WDAC/AppLocker PCs): the
 * script must use nothing CLM refuses, and its answer must read the same whatever the PC's
 * code page. PowerShell cannot run here, so the outputs are recorded ones: what Windows
 * PowerShell 5.1's `ConvertTo-Json -Compress -Depth 2 | Out-File -Encoding utf8` writes for
 * Get-AuthenticodeSignature's object (invented publishers).
 */
import { describe, expect, it } from 'vitest';
import { AUTHENTICODE_SCRIPT, decodeProbeOutput, readAuthenticodeOutput } from '../../../main/updates/update-verification';

/**
 * What Constrained Language Mode refuses in a script we write: type accelerators and casts
 * (`[Console]`, `[int]`), static members (`::`), method calls (`.ToCharArray()`), property
 * assignments on objects, and the cmdlets that reach .NET or run text as code.
 */
function clmViolations(script: string): string[] {
  const found: string[] = [];
  if (script.includes('[')) found.push('type accelerator or cast');
  if (script.includes('::')) found.push('static member');
  if (/\.\s*[A-Za-z_]\w*\s*\(/.test(script)) found.push('method call');
  if (/\$[\w:]+(?:\.\w+)+\s*=(?!=)/.test(script)) found.push('property assignment');
  if (/\b(?:Add-Type|New-Object|Invoke-Expression|iex)\b/i.test(script)) found.push('.NET or code-running cmdlet');
  return found;
}

/** The probe before this change: CLM refuses its first line, so every update was refused. */
const OLD_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$s = Get-AuthenticodeSignature -LiteralPath $env:CC_AUTHENTICODE_FILE',
  '[pscustomobject]@{ Status = [int]$s.Status; Subject = $s.SignerCertificate.Subject; Path = $s.Path } | ConvertTo-Json -Compress',
].join('; ');

describe('the Authenticode probe in Constrained Language Mode', () => {
  it('uses only cmdlets: no type accelerator, static member, method call or property assignment', () => {
    expect(clmViolations(AUTHENTICODE_SCRIPT)).toEqual([]);
    expect(AUTHENTICODE_SCRIPT).toContain('Get-AuthenticodeSignature -LiteralPath $env:CC_AUTHENTICODE_FILE');
    expect(AUTHENTICODE_SCRIPT).toContain('Out-File -LiteralPath $env:CC_AUTHENTICODE_OUT -Encoding utf8');
  });

  it('the lint catches what CLM refuses (the old probe, and each construct alone)', () => {
    expect(clmViolations(OLD_SCRIPT)).toEqual(expect.arrayContaining(['type accelerator or cast', 'static member']));
    expect(clmViolations("-join ($s.ToCharArray() | ForEach-Object { $_ })")).toEqual(['method call']);
    expect(clmViolations('$host.UI.RawUI.WindowTitle = "x"')).toEqual(['property assignment']);
    expect(clmViolations('Add-Type -TypeDefinition $code')).toEqual(['.NET or code-running cmdlet']);
    expect(clmViolations("$ErrorActionPreference = 'Stop'")).toEqual([]);
  });
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8File = (text: string) => Buffer.concat([BOM, Buffer.from(`${text}\r\n`, 'utf8')]);
const utf16File = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${text}\r\n`, 'utf16le')]);

/** Get-AuthenticodeSignature | Select-Object Status, Path, SignerCertificate, as 5.1 writes it. */
function recorded(status: number, subject: string | null, path = 'C:\\\\Users\\\\x\\\\AppData\\\\Local\\\\Temp\\\\update.exe'): string {
  const certificate =
    subject === null
      ? 'null'
      : `{"Archived":false,"Extensions":["System.Security.Cryptography.Oid","System.Security.Cryptography.Oid"],"FriendlyName":"","IssuerName":{"Name":"CN=Invented Code Signing CA, O=Invented Trust, C=DK","Oid":"System.Security.Cryptography.Oid","RawData":"48 66 49"},"NotAfter":"\\/Date(1893456000000)\\/","NotBefore":"\\/Date(1735689600000)\\/","HasPrivateKey":false,"PrivateKey":null,"PublicKey":{"EncodedKeyValue":"System.Security.Cryptography.AsnEncodedData","EncodedParameters":"System.Security.Cryptography.AsnEncodedData","Key":"System.Security.Cryptography.RSACryptoServiceProvider","Oid":"System.Security.Cryptography.Oid"},"RawData":[48,130,5,12],"SerialNumber":"0A1B2C3D","SubjectName":{"Name":${JSON.stringify(subject)},"Oid":"System.Security.Cryptography.Oid","RawData":"48 66"},"SignatureAlgorithm":{"Value":"1.2.840.113549.1.1.11","FriendlyName":"sha256RSA"},"Thumbprint":"4F6A0B9C1D2E3F405162738495A6B7C8D9E0F1A2","Version":3,"Handle":{"value":2283749238},"Issuer":"CN=Invented Code Signing CA, O=Invented Trust, C=DK","Subject":${JSON.stringify(subject)}}`;
  return `{"Status":${status},"Path":"${path}","SignerCertificate":${certificate}}`;
}

describe('reading the probe’s answer', () => {
  const danish = 'CN=Region Sjælland Sundheds-IT, O=Region Sjælland, L=Sorø, C=DK';
  const swedish = 'CN="Välfärdsområde Österbotten, IT", O=Välfärdsområde Österbotten, L=Vasa, C=FI';

  it('reads a valid signature with a non-ASCII publisher, UTF-8 with BOM as Out-File writes it', () => {
    expect(readAuthenticodeOutput(utf8File(recorded(0, danish)))).toEqual({ status: 'valid', subject: danish, path: 'C:\\Users\\x\\AppData\\Local\\Temp\\update.exe' });
    expect(readAuthenticodeOutput(utf8File(recorded(0, swedish)))).toMatchObject({ status: 'valid', subject: swedish });
  });

  it('reads the same answer written as UTF-16 (Out-File’s own default), or with \\u escapes', () => {
    expect(readAuthenticodeOutput(utf16File(recorded(0, danish)))).toMatchObject({ status: 'valid', subject: danish });
    const escaped = recorded(0, danish).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped).not.toContain('æ');
    expect(readAuthenticodeOutput(utf8File(escaped))).toMatchObject({ status: 'valid', subject: danish });
    // UTF-16LE without a BOM, and UTF-16BE with one.
    expect(decodeProbeOutput(Buffer.from('{"Status":0}', 'utf16le'))).toBe('{"Status":0}');
    expect(decodeProbeOutput(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"a":"ø"}', 'utf16le').swap16()]))).toBe('{"a":"ø"}');
  });

  it('refuses text a code page garbled, rather than compare a wrong subject', () => {
    // "Sjælland" as code page 850 writes it (æ = 0x91): not UTF-8.
    const cp850 = Buffer.from(recorded(0, 'CN=Region Sj\u0091lland, C=DK'), 'latin1');
    expect(decodeProbeOutput(cp850)).toBeNull();
    expect(readAuthenticodeOutput(cp850)).toEqual({ status: 'unknown' });
  });

  it('reads every other status as a refusal, and nonsense as unknown', () => {
    expect(readAuthenticodeOutput(utf8File(recorded(2, null)))).toMatchObject({ status: 'not-signed' });
    expect(readAuthenticodeOutput(utf8File(recorded(3, danish)))).toMatchObject({ status: 'hash-mismatch', subject: danish });
    expect(readAuthenticodeOutput(utf8File(recorded(4, danish)))).toMatchObject({ status: 'not-trusted' });
    expect(readAuthenticodeOutput(Buffer.alloc(0))).toEqual({ status: 'unknown' });
    expect(readAuthenticodeOutput(utf8File('Get-AuthenticodeSignature : Cannot find path'))).toEqual({ status: 'unknown' });
    expect(readAuthenticodeOutput(utf8File(recorded(0, null)))).toEqual({ status: 'unknown' });
  });
});
