#!/usr/bin/env node
// The privacy audit, after the e2e suite: none of the seeded names, subjects, PINs,
// passwords or tokens may appear in any log, nor in plaintext in any file the console
// wrote (its token cache and schedule database are encrypted). Reads the manifest the e2e
// fixture wrote (test/e2e/privacy-manifest.ts). Reports where, never what.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';
import { findLeaks, pinMatcher } from './privacy-scan.mjs';

const results = join(root, '.cache', 'results');
// Every worker writes its own e2e-<kind>.w<N>.jsonl: all of them, of every worker.
const lines = (kind) =>
  (existsSync(results) ? readdirSync(results) : [])
    .filter((file) => file.startsWith(`e2e-${kind}`) && file.endsWith('.jsonl'))
    .flatMap((file) => readFileSync(join(results, file), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)));

const artifacts = [...new Set(lines('artifacts').flatMap((a) => a.paths))];
const secrets = lines('secrets');
const texts = [...new Set(secrets.flatMap((s) => s.text))].filter((t) => t && t.length >= 4);
const pins = [...new Set(secrets.flatMap((s) => s.pins))];
if (artifacts.length === 0 || texts.length === 0) {
  console.error('privacy audit: no e2e manifest found (did the e2e suite run?)');
  process.exit(1);
}

function* files(path) {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isFile()) yield path;
  else if (stat.isDirectory()) for (const entry of readdirSync(path)) yield* files(join(path, entry));
}

const hasPin = pinMatcher(pins);
let scanned = 0;
const leaks = [];
for (const artifact of artifacts) {
  for (const file of files(artifact)) {
    // Settings files too: the fixture writes only the stack's addresses and client id there,
    // so a secret in one came from somewhere it should not have.
    scanned++;
    const kinds = findLeaks(readFileSync(file), texts, hasPin);
    if (kinds.length) leaks.push(`${file}: ${kinds.join(', ')}`);
  }
}
for (const leak of leaks) console.log(`LEAK ${leak}`);
console.log(`privacy audit: ${scanned} file(s) written by the console searched for ${texts.length} secrets and ${pins.length} PINs; ${leaks.length} leak(s)`);
process.exit(leaks.length === 0 ? 0 : 1);
