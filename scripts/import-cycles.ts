/**
 * Finds import circles in the code base, type-only imports included (a circle of types
 * still ties two modules' meanings together and hides which one is the lower layer).
 *
 * It resolves each import with TypeScript's own resolver and the project's compiler options,
 * so a path resolves here exactly as tsc and Vite resolve it; Svelte components are read for
 * the imports of their <script> blocks. Packages (node_modules) are leaves: only the
 * project's own files can form a circle.
 *
 * `npm test` runs it as one check (`tsx scripts/import-cycles.ts`): no circle, exit 0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE = /\.(ts|mts|svelte)$/;

/** The project-relative files each file imports (only files inside the project). */
export function importGraph(files: readonly string[], root: string): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
  };
  const host = ts.sys;
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const path = resolve(root, file);
    const text = readFileSync(path, 'utf8');
    const code = file.endsWith('.svelte') ? scriptsOf(text) : text;
    const imported = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
    const targets = new Set<string>();
    for (const spec of imported) {
      const target = resolveImport(spec, path, options, host);
      if (target && !target.includes('/node_modules/')) targets.add(relative(root, target));
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

function resolveImport(spec: string, from: string, options: ts.CompilerOptions, host: ts.ModuleResolutionHost): string | null {
  // TypeScript resolves a component only through a declaration; the file itself is what counts here.
  if (spec.endsWith('.svelte') && spec.startsWith('.')) {
    const target = resolve(dirname(from), spec);
    return existsSync(target) ? target : null;
  }
  const resolved = ts.resolveModuleName(spec, from, options, host).resolvedModule;
  if (!resolved || resolved.isExternalLibraryImport) return null;
  return resolved.resolvedFileName;
}

/** The contents of a component's <script> blocks (instance and module). */
function scriptsOf(svelte: string): string {
  return [...svelte.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/**
 * The circles, each as the files in it (Tarjan's strongly connected components; a file that
 * imports itself is a circle of one).
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  // Iterative, so a long import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || edges.includes(frame.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** The project's own source files (tracked or new, not ignored), minus the folders given. */
export function projectSources(root: string, exclude: readonly string[]): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((f) => SOURCE.test(f) && existsSync(resolve(root, f)) && !exclude.some((folder) => f.startsWith(folder)));
}

/** Fixtures with deliberate circles (the test of this check) are not part of the code base. */
export const FIXTURES = ['test/unit/build/fixtures/'];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const files = projectSources(root, FIXTURES);
  const cycles = findCycles(importGraph(files, root));
  for (const cycle of cycles) console.log(`import circle: ${cycle.join(' <-> ')}`);
  console.log(cycles.length ? `${cycles.length} import circle(s) in ${files.length} files` : `no import circle in ${files.length} files`);
  process.exit(cycles.length ? 1 : 0);
}
