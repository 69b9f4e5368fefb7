/**
 * The call window's shortcuts: Ctrl+Shift+letter (Cmd on macOS), never a bare character, so
 * typing in the chat or with a screen reader never mutes the call by accident.
 */
import { describe, expect, it } from 'vitest';
import { describeShortcut, isMacPlatform, SHORTCUT_ACTIONS, shortcutFor, type KeyLike } from '../../../../call/window/shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const ctrlShift = (k: string, code?: string) => key(k, { ctrlKey: true, shiftKey: true, ...(code ? { code } : {}) });

describe('shortcutFor', () => {
  it('maps Ctrl+Shift+M, O, E and H, and Ctrl+/ (Windows and Linux)', () => {
    expect(shortcutFor(ctrlShift('M'), false)).toBe('microphone');
    expect(shortcutFor(ctrlShift('O'), false)).toBe('camera');
    expect(shortcutFor(ctrlShift('E'), false)).toBe('chat');
    expect(shortcutFor(ctrlShift('H'), false)).toBe('leave');
    expect(shortcutFor(key('/', { ctrlKey: true }), false)).toBe('help');
    // Nordic keyboards: '/' is Shift+7.
    expect(shortcutFor(key('/', { ctrlKey: true, shiftKey: true, code: 'Digit7' }), false)).toBe('help');
  });

  it('uses Cmd on macOS, and Ctrl there is not a shortcut', () => {
    expect(shortcutFor(key('M', { metaKey: true, shiftKey: true }), true)).toBe('microphone');
    expect(shortcutFor(ctrlShift('M'), true)).toBeNull();
    expect(shortcutFor(key('M', { metaKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('ignores typing: bare letters, Shift+letter, Ctrl+letter, AltGr combinations', () => {
    for (const k of ['m', 'M', 'o', 'e', 'h', '/', '?']) {
      expect(shortcutFor(key(k), false)).toBeNull();
      expect(shortcutFor(key(k, { shiftKey: true }), false)).toBeNull();
    }
    expect(shortcutFor(key('m', { ctrlKey: true }), false)).toBeNull();
    // AltGr is Ctrl+Alt on Windows: a typed character, never a shortcut.
    expect(shortcutFor(key('M', { ctrlKey: true, altKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(ctrlShift('X'), false)).toBeNull();
  });

  it('falls back to the physical key when the layout gives no letter', () => {
    expect(shortcutFor(ctrlShift('Dead', 'KeyM'), false)).toBe('microphone');
  });
});

describe('describeShortcut', () => {
  it('writes each shortcut as the help lists it, and every one is recognised back', () => {
    expect(describeShortcut('microphone', false)).toBe('Ctrl+Shift+M');
    expect(describeShortcut('help', false)).toBe('Ctrl+/');
    expect(describeShortcut('leave', true)).toBe('⌘+Shift+H');
    for (const action of SHORTCUT_ACTIONS) {
      const [, ...rest] = describeShortcut(action, false).split('+');
      const letter = rest.at(-1)!;
      const event = key(letter, { ctrlKey: true, shiftKey: rest.includes('Shift') });
      expect(shortcutFor(event, false), action).toBe(action);
    }
  });

  it('knows macOS from the platform string', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Win32')).toBe(false);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
});
