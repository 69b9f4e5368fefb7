/**
 * Temporary directories for unit tests that go away with the test file.
 *
 * Why: each `mkdtempSync` a test forgot to remove stayed in the OS temp folder; over many
 * runs a developer's machine had thousands of them. `tempDir` makes one and remembers it;
 * the vitest setup file (test/support/vitest-setup.ts) removes them after the file's last
 * test. A database a test left open is no obstacle: on POSIX an open file can be unlinked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new, empty directory under the OS temp folder, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made so far (the setup file calls it after all tests). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
