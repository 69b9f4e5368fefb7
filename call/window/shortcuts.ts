/**
 * The call window's keyboard shortcuts. Each is Ctrl+Shift+letter (Cmd on macOS), as in the
 * video clients clinicians know, never a single character (WCAG 2.1.4: a screen reader user
 * typing must not mute the call); they work wherever the focus is, the chat box included,
 * because none of them types anything. Pure, so it is unit-tested without a browser.
 */
export type ShortcutAction = 'microphone' | 'camera' | 'chat' | 'leave' | 'help';

/** The fields of a KeyboardEvent this reads (no DOM types: the unit tests run under Node). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Letter per action (help is Ctrl+/ , as in many web apps). */
const LETTERS: Record<Exclude<ShortcutAction, 'help'>, string> = {
  microphone: 'm',
  camera: 'o',
  chat: 'e',
  leave: 'h',
};

export const SHORTCUT_ACTIONS: readonly ShortcutAction[] = ['microphone', 'camera', 'chat', 'leave', 'help'];

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** The action a key press asks for, or null. */
export function shortcutFor(event: KeyLike, mac: boolean): ShortcutAction | null {
  const primary = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!primary || event.altKey) return null;
  // Ctrl+/ : on Nordic keyboards '/' is Shift+7, so Shift is allowed here.
  if (event.key === '/' || (event.code === 'Slash' && !event.shiftKey)) return 'help';
  if (!event.shiftKey) return null;
  // The letter as typed (layout-aware); the physical key where the layout gives none.
  const letter = event.key.length === 1 ? event.key.toLowerCase() : /^Key([A-Z])$/.exec(event.code ?? '')?.[1]?.toLowerCase();
  const found = (Object.keys(LETTERS) as Array<keyof typeof LETTERS>).find((action) => LETTERS[action] === letter);
  return found ?? null;
}

/** How the help popover writes a shortcut, e.g. "Ctrl+Shift+M" or "⌘+Shift+M". */
export function describeShortcut(action: ShortcutAction, mac: boolean): string {
  const primary = mac ? '⌘' : 'Ctrl';
  if (action === 'help') return `${primary}+/`;
  return `${primary}+Shift+${LETTERS[action].toUpperCase()}`;
}
