/**
 * How a participant's role travels with their name through Janus.
 *
 * Janus's VideoRoom has one free-text `display` per participant and no other field that
 * every participant sees, so the role is encoded into it as `role|name`, for example
 * `interpreter|Kim Berg`. The role never contains `|`; the name may (only the first `|`
 * splits). A display without a known role prefix (a client that does not follow this
 * convention) decodes as role `other` with the whole string as the name.
 */
export const ROLES = ['host', 'patient', 'interpreter', 'specialist', 'relative', 'other'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function encodeDisplay(role: Role, name: string): string {
  return `${role}|${name.trim()}`;
}

export function decodeDisplay(display: string | undefined | null): { role: Role; name: string } {
  const text = display ?? '';
  const bar = text.indexOf('|');
  if (bar > 0) {
    const role = text.slice(0, bar);
    if (isRole(role)) return { role, name: text.slice(bar + 1) };
  }
  return { role: 'other', name: text };
}
