/**
 * `clinician-console://` deep links. Plain TypeScript. For now a deep link only brings the
 * console to the front; its content is untrusted and is not logged.
 */
export const DEEP_LINK_SCHEME = 'clinician-console';

/** The first deep link among command-line arguments (Windows and Linux pass it that way). */
export function findDeepLink(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
}
