/**
 * The layer boundaries hold (eslint.boundaries.js): each rule fires on a deliberate bad import,
 * linted as if the fixture sat where the rule applies, and stays quiet on what is allowed.
 * The fixtures live in test/unit/build/fixtures/boundaries/ (left out of the normal lint and
 * type check: they are wrong on purpose).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../eslint.boundaries.js';

const root = join(import.meta.dirname, '../../..');
const fixtures = join(import.meta.dirname, 'fixtures/boundaries');
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages for a fixture linted as the file at `as`. */
async function restricted(fixture: string, as: string): Promise<string[]> {
  const [result] = await eslint.lintText(readFileSync(join(fixtures, fixture), 'utf8'), { filePath: join(root, as) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const electronOnly = 'Only main/platform, main/windows, main/ipc/electron-ipc.ts and main/index.ts import electron.';

describe('the eslint boundary rules', () => {
  it.each([
    ['window-imports-main.ts', 'call/window/bad.ts', MESSAGES.windowToMain],
    ['window-imports-call-main.ts', 'renderer/src/bad.ts', MESSAGES.windowToMain],
    ['window-imports-provider-main.ts', 'call/providers/janus/window/bad.ts', MESSAGES.windowToMain],
    ['window-imports-guard.ts', 'call/window/bad.ts', MESSAGES.windowToMain],
    ['window-imports-host.ts', 'renderer/src/bad.ts', MESSAGES.windowToMain],
    ['main-imports-window.ts', 'call/main/bad.ts', MESSAGES.mainToWindow],
    ['main-imports-window.ts', 'call/providers/pexip/main/bad.ts', MESSAGES.mainToWindow],
    ['main-imports-renderer.ts', 'main/core/bad.ts', MESSAGES.mainToWindow],
    ['main-imports-renderer.ts', 'main/windows/bad.ts', MESSAGES.mainToWindow],
    ['common-imports-preload.ts', 'common/bad.ts', MESSAGES.sharedUp],
    ['call-common-imports-main.ts', 'call/common/bad.ts', MESSAGES.sharedUp],
    ['call-common-imports-main.ts', 'call/providers/janus/bad.ts', MESSAGES.sharedUp],
    ['window-imports-electron.svelte', 'call/window/Bad.svelte', electronOnly],
  ])('%s, linted as %s, is refused', async (fixture, as, message) => {
    const messages = await restricted(fixture, as);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it('lets the window side import shared code, the contract, the renderer and its own files', async () => {
    expect(await restricted('allowed.ts', 'call/window/fine.ts')).toEqual([]);
    expect(await restricted('allowed.ts', 'call/providers/pexip/window/fine.ts')).toEqual([]);
  });

  it('lets main/windows import electron, and nothing else outside the Electron layer', async () => {
    const electron = "import { app } from 'electron';\nexport const a = app;\n";
    const lint = async (as: string) => (await eslint.lintText(electron, { filePath: join(root, as) }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(await lint('main/windows/fine.ts')).toEqual([]);
    for (const as of ['call/main/bad.ts', 'main/core/bad.ts', 'common/bad.ts', 'renderer/src/bad.ts', 'host/bad.ts', 'janus-guard/bad.ts']) expect(await lint(as), as).toHaveLength(1);
  });
});
