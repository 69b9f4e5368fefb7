#!/usr/bin/env node
// Electronegativity over the app's sources (main, preload, renderer, call), failing on any HIGH
// or MEDIUM finding. The tool always exits 0, so its report is parsed here. Its CSV is
// used rather than its SARIF because this version's SARIF carries no severity.
//
// The tool looks up Electron releases and translations on the internet at start. This
// machine's network rule forbids such traffic, so it runs in a network namespace of its
// own with no interfaces (unshare -n as root, unshare -rn otherwise): the lookups fail at
// once and nothing leaves the machine.
// A finding reviewed and accepted is marked in the source with `eng-disable <CHECK>` and a
// comment saying why.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { has, root } from './lib.mjs';

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'cc-scan-'));
try {
  for (const dir of ['main', 'preload', 'renderer', 'call']) cpSync(join(root, dir), join(work, 'src', dir), { recursive: true });
  cpSync(join(root, 'package.json'), join(work, 'src', 'package.json'));
  const report = join(work, 'report.csv');
  const tool = [join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'), '-i', join(work, 'src'), '-e', electronVersion, '-o', report];
  const isolate = !has('unshare') ? [] : process.getuid?.() === 0 ? ['unshare', '-n'] : ['unshare', '-rn'];
  const [command, ...args] = [...isolate, process.execPath, ...tool];
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) {
    console.error(`electronegativity did not run (exit ${run.status}): ${run.stderr || run.error}`);
    process.exit(1);
  }
  const findings = readFileSync(report, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .map(([id, severity, confidence, file, location]) => ({ id, severity: severity.replaceAll('"', ''), confidence: confidence.replaceAll('"', ''), file: file.replaceAll('"', '').replace(join(work, 'src') + '/', ''), location }));
  const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  for (const f of findings) console.log(`${blocking.includes(f) ? 'FAIL' : 'note'} ${f.severity} ${f.confidence} ${f.id} ${f.file}:${f.location}`);
  console.log(`electronegativity ${electronVersion}: ${findings.length} finding(s), ${blocking.length} HIGH or MEDIUM`);
  process.exit(blocking.length === 0 ? 0 : 1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
