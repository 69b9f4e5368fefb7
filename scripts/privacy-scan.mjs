// What the privacy audit looks for in a file the console wrote: the seeded secrets as
// exact strings, and the seeded PINs wherever a PIN can stand. A PIN is a bare number, so
// digits inside a UUID, a hex string, a timestamp, a clock time or a host's port are taken
// out first: a PIN that happens to equal a UUID group ("…-4349-…") is not a leak, and an
// audit that says it is fails at random. Node built-ins only (it runs before anything else).

/** Text that holds digits but never a PIN; replaced by a space before PINs are looked for. */
const NOT_A_PIN = [
  // UUIDs
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  // ISO timestamps and dates: 2026-12-01T19:46:38.123Z, 2026-12-01 19:46, 2026-12-01
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g,
  // Clock times: 19:46, 19:46:38.5
  /\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g,
  // A host's port: localhost:4349, 127.0.0.1:4349, [::1]:4349, vdx.example:4349
  /(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{1,5}\b/gi,
  // Hex strings of eight or more characters with a letter in them (ids, hashes, keys)
  /\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi,
];

export function withoutPinLookalikes(text) {
  let out = text;
  for (const pattern of NOT_A_PIN) out = out.replace(pattern, ' ');
  return out;
}

/** A matcher for any of the PINs as a number of its own (not part of a longer word or number). */
export function pinMatcher(pins) {
  const digits = [...new Set(pins)].filter((p) => /^\d+$/.test(p));
  if (digits.length === 0) return () => false;
  const pattern = new RegExp(`(?<![0-9A-Za-z])(?:${digits.join('|')})(?![0-9A-Za-z])`);
  return (text) => pattern.test(withoutPinLookalikes(text));
}

/** What kinds of secret a file's bytes hold: never which one (the audit reports where, not what). */
export function findLeaks(bytes, texts, hasPin) {
  const kinds = new Set();
  for (const secret of texts) if (bytes.includes(secret)) kinds.add('a name, e-mail, subject, password or token');
  if (hasPin(bytes.toString('latin1'))) kinds.add('a PIN');
  return [...kinds];
}
