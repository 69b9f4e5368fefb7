/**
 * package.json tells the truth about what ships (issue 20): every package the product code
 * imports is in `dependencies` (so `npm sbom --omit dev` and a licence scan see it), and
 * nothing else is. The product code is what the installers and the Janus site carry: main,
 * preload, renderer, call, common and the Janus room guard. The browser host (host/) runs from a
 * checkout with the development tools (tsx, esbuild) and is not in any installer, so its
 * packages stay in devDependencies.
 *
 * Vite bundles most of those packages into out/; electron-builder would still copy every
 * production dependency into the app's node_modules, so electron-builder.yml excludes the
 * bundled ones (and whatever only they need): this test keeps that list exact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainExternals } from '../../../vite.main.config';

const root = join(import.meta.dirname, '../../..');
const productFolders = ['main', 'preload', 'renderer', 'call', 'common', 'janus-guard'];
/** Provided by the runtime; electron-builder insists that electron is a devDependency. */
const providedByRuntime = new Set(['electron']);

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The packages a file imports at run time (`import type` is erased, so it does not count). */
export function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /(?:^|[\s;}])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]/g;
  for (const m of source.matchAll(statement)) if (!m[2]) specifiers.push(m[3]!);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g)) specifiers.push(m[1]!);
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

function importedPackages(): Map<string, string> {
  const byPackage = new Map<string, string>();
  for (const folder of productFolders)
    for (const file of sourceFiles(folder))
      for (const name of runtimeImports(readFileSync(file, 'utf8'))) if (!byPackage.has(name)) byPackage.set(name, relative(root, file));
  return byPackage;
}

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/** The names of the installed packages `names` need, resolved as Node does (nested node_modules first). */
function closure(names: string[]): Set<string> {
  const seen = new Set<string>();
  const found = new Set<string>();
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock[path]) return path;
      if (!dir) return undefined;
    }
  };
  const stack = names.map((n) => resolve('', n)).filter((p): p is string => p !== undefined);
  while (stack.length) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    found.add(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const entry = lock[path]!;
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]) {
      const next = resolve(path, dep);
      if (next) stack.push(next);
    }
  }
  return found;
}

describe('package.json dependencies', () => {
  it('list every package the product code imports, and nothing it does not', () => {
    const imported = importedPackages();
    const missing = [...imported].filter(([name]) => !providedByRuntime.has(name) && !(name in pkg.dependencies));
    expect(missing.map(([name, file]) => `${name} (imported by ${file})`)).toEqual([]);
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name));
    expect(unused).toEqual([]);
    for (const name of providedByRuntime) expect(pkg.devDependencies).toHaveProperty([name]);
  });

  it('keep what main loads at run time (vite.main.config.ts externals) in the production tree', () => {
    const production = closure(Object.keys(pkg.dependencies));
    expect(mainExternals.filter((name) => !providedByRuntime.has(name) && !production.has(name))).toEqual([]);
  });

  it('are not copied into the app twice: electron-builder.yml leaves out exactly what Vite bundles', () => {
    const external = new Set(mainExternals);
    const bundled = Object.keys(pkg.dependencies).filter((name) => !external.has(name));
    const shipped = closure(Object.keys(pkg.dependencies).filter((name) => external.has(name)));
    const onlyBundled = [...closure(bundled)].filter((name) => !shipped.has(name)).sort();
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    const line = /^\s*-\s*"!\*\*\/node_modules\/\{([^}]+)\}\/\*\*"\s*$/m.exec(yml);
    expect(line, 'electron-builder.yml files: "!**/node_modules/{...}/**"').not.toBeNull();
    expect(line![1]!.split(',').sort()).toEqual(onlyBundled);
  });

  it('reads imports as the bundler does: type-only imports do not count', () => {
    const source = [
      "import { z } from 'zod';",
      "import type { Foo } from 'only-types';",
      "  import Icon from '@lucide/svelte/icons/x';",
      "import './local';",
      "import { readFileSync } from 'node:fs';",
      "import 'side-effect';",
      "export { a } from '@scope/pkg/deep';",
      "const lazy = await import('lazy-pkg');",
      "import {\n  multi,\n  line,\n} from 'multi-line';",
    ].join('\n');
    expect(runtimeImports(source).sort()).toEqual(['@lucide/svelte', '@scope/pkg', 'lazy-pkg', 'multi-line', 'side-effect', 'zod']);
  });
});
