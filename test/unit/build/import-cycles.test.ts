/**
 * The import-circle check (scripts/import-cycles.ts, one counted check of `npm test`) finds a
 * deliberate circle, type-only imports and Svelte components included, and nothing else.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, FIXTURES, importGraph, projectSources } from '../../../scripts/import-cycles';

const root = join(import.meta.dirname, '../../..');
const folder = 'test/unit/build/fixtures/cycle';
const files = readdirSync(join(root, folder)).map((f) => `${folder}/${f}`);

describe('the import-circle check', () => {
  it('reads imports from TypeScript and from Svelte components, type-only ones included', () => {
    const graph = importGraph(files, root);
    expect(graph.get(`${folder}/a.ts`)).toEqual([`${folder}/b.svelte`]);
    expect(graph.get(`${folder}/b.svelte`)).toEqual([`${folder}/c.ts`]);
    expect(graph.get(`${folder}/c.ts`)).toEqual([`${folder}/a.ts`]);
  });

  it('finds the deliberate circle, and not the file that only imports into it', () => {
    expect(findCycles(importGraph(files, root))).toEqual([[`${folder}/a.ts`, `${folder}/b.svelte`, `${folder}/c.ts`]]);
  });

  it('finds no circle where there is none, and a file importing itself is one', () => {
    expect(findCycles(new Map([['x', ['y']], ['y', ['z']], ['z', []]]))).toEqual([]);
    expect(findCycles(new Map([['x', ['x']]]))).toEqual([['x']]);
  });

  it('leaves the fixtures out of the code base it checks', () => {
    expect(FIXTURES).toContain('test/unit/build/fixtures/');
    const sources = projectSources(root, FIXTURES);
    expect(sources).toContain('call/main/provider-registry.ts');
    expect(sources.filter((f) => f.startsWith('test/unit/build/fixtures/'))).toEqual([]);
  });
});
