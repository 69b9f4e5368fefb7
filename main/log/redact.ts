/**
 * Privacy redactor for log lines. Log messages are written by us and should carry no
 * personal data in the first place; this is the second line of defence for what slips
 * through (an error message from a library that quotes a token, an e-mail, a URL with a PIN).
 */
const patterns: Array<[RegExp, string]> = [
  // JWTs and other long bearer-like tokens
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/\b(bearer\s+)[\w.~+/-]+=*/gi, '$1[token]'],
  // query or JSON fields that hold secrets
  [/((?:access|refresh|id)_?token|code_verifier|code|pin|secret|password|client_secret)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, '$1$2[redacted]'],
  // e-mail addresses
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]'],
  // phone numbers: +4512345678, +45 12 34 56 78, 12 34 56 78 (not dates or times,
  // whose groups are joined by - and :)
  [/\+\d{7,15}\b|(?<![\w:.-])\+?\d{2,4}(?: \d{2,4}){2,}(?![\w:.-])/g, '[number]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
