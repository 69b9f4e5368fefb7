/**
 * Which layer may import which: the rules that keep the process split real.
 *
 * - The window side (renderer/, call/window/, call/providers/<p>/window/) runs in a sandboxed
 *   page: it never imports a main half (main/, call/main/, call/providers/<p>/main/), the room
 *   guard or the browser host.
 * - The main side (main/, call/main/, call/providers/<p>/main/) never imports a window half or
 *   the renderer.
 * - Shared code (common/, call/common/, a provider's root files such as
 *   call/providers/janus/guard-api.ts) imports neither side, nor the preload.
 * - Only the thin Electron layer imports electron.
 *
 * Inside call/providers/<p>/ the halves are the folders main/ and window/, so a path segment
 * says which side a file is on. The rules match the import's path by segment (a regex, since
 * most imports are relative), so `main/windows/` is not `window/` and `main-window.ts` is not
 * `main/`. test/unit/build/boundaries.test.ts runs each rule on a deliberate bad import.
 */

const electron = {
  name: 'electron',
  message: 'Only main/platform, main/windows, main/ipc/electron-ipc.ts and main/index.ts import electron.',
};
const segment = (names) => `(^|/)(${names.join('|')})(/|$)`;

export const MESSAGES = {
  windowToMain: 'The window side (renderer, call/window, a provider\'s window/) cannot import main/, call/main, a provider\'s main/, janus-guard/ or host/.',
  mainToWindow: 'The main side (main/, call/main, a provider\'s main/) cannot import a window half (window/) or renderer/.',
  sharedUp: 'Shared code (common/, call/common, a provider\'s root files) imports no side: not preload/, main/, renderer/ or a window/ half.',
};

const windowSide = ['renderer/**/*.ts', 'renderer/**/*.svelte', 'call/window/**/*.ts', 'call/window/**/*.svelte', 'call/providers/*/window/**/*.ts'];
const mainSide = ['main/**/*.ts', 'call/main/**/*.ts', 'call/providers/*/main/**/*.ts'];
const shared = ['common/**/*.ts', 'call/common/**/*.ts', 'call/providers/*/*.ts'];
const electronFree = ['main/**/*.ts', 'common/**/*.ts', 'call/**/*.ts', 'call/**/*.svelte', 'renderer/**/*.ts', 'renderer/**/*.svelte', 'host/**/*.ts', 'janus-guard/**/*.ts'];
const electronLayer = ['main/platform/**', 'main/windows/**', 'main/ipc/electron-ipc.ts', 'main/index.ts'];

/** One no-restricted-imports per file group (a later block would replace an earlier one's options). */
export const boundaries = [
  {
    files: windowSide,
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [{ regex: segment(['main', 'janus-guard', 'host']), message: MESSAGES.windowToMain }] }],
    },
  },
  {
    files: mainSide,
    ignores: electronLayer,
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [{ regex: segment(['window', 'renderer']), message: MESSAGES.mainToWindow }] }],
    },
  },
  {
    files: electronLayer,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: segment(['window', 'renderer']), message: MESSAGES.mainToWindow }] }],
    },
  },
  {
    files: shared,
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [{ regex: segment(['preload', 'main', 'renderer', 'window']), message: MESSAGES.sharedUp }] }],
    },
  },
  {
    files: electronFree,
    ignores: [...electronLayer, ...windowSide, ...mainSide, ...shared],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
];
