/**
 * The browser host's renderer files (host/renderer-files.ts): read once, and only files that
 * exist are kept, so made-up paths (anyone on loopback can ask for them) cost no memory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRendererFiles } from '../../../host/renderer-files';
import { tempDir } from '../../support/temp-dir';

function renderer(): string {
  const dir = tempDir('cc-renderer-');
  writeFileSync(join(dir, 'index.html'), '<html><head></head></html>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  return dir;
}

describe('browser host renderer files', () => {
  it('keeps no miss: a thousand made-up paths leave the cache as it was', async () => {
    const files = createRendererFiles(renderer());
    expect(await files.get('/')).toMatchObject({ type: 'text/html; charset=utf-8', html: true });
    expect(files.size).toBe(1);
    for (let i = 0; i < 1000; i++) expect(await files.get(`/made-up-${i}.js`)).toBeNull();
    // A folder, a path out of the renderer and a malformed escape name no file either.
    expect(await files.get('/assets')).toBeNull();
    expect(await files.get('/../../etc/passwd')).toBeNull();
    expect(await files.get('/%E0%A4%A')).toBeNull();
    expect(files.size).toBe(1);
  });

  it('reads a file that exists once: the build does not change while the host runs', async () => {
    const dir = renderer();
    const files = createRendererFiles(dir);
    const first = await files.get('/assets/app.js');
    expect(first?.type).toBe('text/javascript; charset=utf-8');
    rmSync(join(dir, 'assets', 'app.js'));
    expect((await files.get('/assets/app.js'))?.content.toString()).toBe('export {};');
  });

  it('a miss is asked again: a file that appears later is served', async () => {
    const dir = renderer();
    const files = createRendererFiles(dir);
    expect(await files.get('/late.css')).toBeNull();
    writeFileSync(join(dir, 'late.css'), 'body{}');
    expect((await files.get('/late.css'))?.content.toString()).toBe('body{}');
  });
});
