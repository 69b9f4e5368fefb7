/**
 * The endpoint page's files: index.html and endpoint.css as they are, endpoint.js bundled
 * from page/endpoint.ts with esbuild on first request (in memory; a few tens of ms) and kept.
 * The page's TypeScript is type-checked by tsconfig.web.json like the other test pages.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), 'page');

const STATIC: Record<string, { file: string; type: string }> = {
  'index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'endpoint.css': { file: 'endpoint.css', type: 'text/css; charset=utf-8' },
};

let script: Promise<Buffer> | undefined;

function bundle(): Promise<Buffer> {
  return build({
    entryPoints: [join(pageDir, 'endpoint.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((out) => {
    const file = out.outputFiles[0];
    if (!file) throw new Error('esbuild produced nothing');
    return Buffer.from(file.contents);
  });
}

export async function endpointAsset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  if (name === 'endpoint.js') {
    script ??= bundle().catch((e: unknown) => {
      script = undefined;
      throw e;
    });
    return { body: await script, type: 'text/javascript; charset=utf-8' };
  }
  const entry = STATIC[name];
  if (!entry) return undefined;
  return { body: await readFile(join(pageDir, entry.file)), type: entry.type };
}
