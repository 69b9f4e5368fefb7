/**
 * `clinician-console://meeting/<shortId or uuid>` deep links (from a calendar invitation
 * or another hospital system). Plain TypeScript.
 *
 * A deep link is untrusted input from outside the app: it is parsed strictly (exactly one
 * form, nothing else: no query, no fragment, no credentials, no extra path), never logged
 * with its content, and a rejection is a clear error. A valid link only selects a meeting
 * that is already in the user's schedule; it never joins a call by itself.
 */
export const DEEP_LINK_SCHEME = 'clinician-console';

/** Longer links are refused before parsing. */
const MAX_LENGTH = 200;
const SHORT_ID = /^[a-z0-9]{12}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DeepLink = { kind: 'meeting'; shortId: string } | { kind: 'meeting'; uuid: string };

export type DeepLinkResult = { ok: true; link: DeepLink } | { ok: false; error: string };

export function parseDeepLink(input: unknown): DeepLinkResult {
  const fail = (error: string): DeepLinkResult => ({ ok: false, error });
  if (typeof input !== 'string') return fail('A link must be text.');
  if (input.length > MAX_LENGTH) return fail('The link is too long.');
  const prefix = `${DEEP_LINK_SCHEME}://meeting/`;
  if (!input.toLowerCase().startsWith(prefix)) return fail('Only links to a meeting can be opened.');
  // Optional single trailing slash (some mail clients add one); nothing else may follow.
  const id = input.slice(prefix.length).replace(/\/$/, '');
  if (UUID.test(id)) return { ok: true, link: { kind: 'meeting', uuid: id.toLowerCase() } };
  if (SHORT_ID.test(id)) return { ok: true, link: { kind: 'meeting', shortId: id.toLowerCase() } };
  return fail('The link does not name a meeting.');
}

/** The first deep link among command-line arguments (Windows and Linux pass it that way). */
export function findDeepLink(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
}
