/**
 * Builds the preload with its real Vite config (in memory) and checks what a sandboxed
 * renderer needs: one CommonJS file whose only require is 'electron'.
 */
import { join } from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the preload bundle', () => {
  it('is one CommonJS chunk that requires only electron', async () => {
    const result = await build({
      configFile: join(root, 'vite.preload.config.ts'),
      root,
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunks = outputs.flatMap((o) => o.output).filter((item) => item.type === 'chunk');
    expect(chunks.map((c) => c.fileName)).toEqual(['index.cjs']);
    const code = chunks[0]!.code;
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).toContain('exposeInMainWorld');
  }, 60_000);
});
