/**
 * The built renderer's files as the browser host serves them. The build does not change
 * while the host runs, so each file is read once; only files that exist are kept: a miss is
 * answered and forgotten, because anyone on loopback can ask for made-up paths, and each
 * remembered miss would be memory they choose.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface RendererFile {
  content: Buffer;
  type: string;
  html: boolean;
}

export interface RendererFiles {
  /** The file a URL path names inside the renderer folder (`/` is index.html), or null. */
  get(pathname: string): Promise<RendererFile | null>;
  /** How many files are held. */
  readonly size: number;
}

export function createRendererFiles(dir: string): RendererFiles {
  const root = resolve(dir);
  // In flight or read: a second request for a file being read waits for the same read.
  const files = new Map<string, Promise<Buffer | null>>();

  function read(file: string): Promise<Buffer | null> {
    let content = files.get(file);
    if (!content) {
      content = readFile(file).catch(() => null);
      files.set(file, content);
      void content.then((found) => {
        if (found === null) files.delete(file);
      });
    }
    return content;
  }

  return {
    async get(pathname) {
      let relative: string;
      try {
        relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
      } catch {
        return null; // a malformed %-escape names no file
      }
      const file = normalize(join(root, relative));
      if (!file.startsWith(root + sep)) return null;
      const content = await read(file);
      if (!content) return null;
      const ext = extname(file);
      return { content, type: contentTypes[ext] ?? 'application/octet-stream', html: ext === '.html' };
    },
    get size() {
      return files.size;
    },
  };
}
