/**
 * The day view's JavaScript as Chromium downloads it: the main window's entry script and
 * the modules it preloads (out of a fresh renderer build), gzipped at level 9 as a server
 * would send it. CSS is given apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { round, type Bench } from './bench';

function assetsOf(html: string): { js: string[]; css: string[] } {
  const js = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  return { js, css };
}

const gzipKiB = (dir: string, files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0) / 1024;
const rawKiB = (dir: string, files: string[]) => files.reduce((sum, f) => sum + readFileSync(join(dir, f)).length, 0) / 1024;

export const rendererSizeBench: Bench = {
  name: 'day view bundle size',
  async run(ctx) {
    const dir = await ctx.rendererDir();
    const { js, css } = assetsOf(readFileSync(join(dir, 'index.html'), 'utf8'));
    if (js.length === 0) throw new Error('index.html names no script');
    return [
      { label: `day view JS, gzipped (${js.length} files)`, value: round(gzipKiB(dir, js)), unit: 'KiB' },
      { label: 'day view JS, uncompressed', value: round(rawKiB(dir, js)), unit: 'KiB' },
      { label: 'day view CSS, gzipped', value: round(gzipKiB(dir, css)), unit: 'KiB' },
    ];
  },
};
