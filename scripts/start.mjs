#!/usr/bin/env node
// `npm start`: installs what is missing, builds, and runs the console.
//  - Settings: CLINICIAN_CONSOLE_CONFIG names a settings file; without one, the embedded
//    sandbox (test identity provider, VDX booking sandbox, Janus and its room guard, the Pexip double) is started and used.
//  - Electron where its binary exists; otherwise the browser host, whose address is printed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureNodeModules, ensureSystemPackages } from './setup.mjs';
import { electronBinary, root, run, say } from './lib.mjs';

const children = [];
const stopAll = () => {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

if (!(await ensureNodeModules())) process.exit(1);
const useSandbox = !process.env.CLINICIAN_CONSOLE_CONFIG;
if (useSandbox && !(await ensureSystemPackages())) process.exit(1);
if ((await run('npm', ['run', '--silent', 'build'])) !== 0) process.exit(1);

const env = { ...process.env };
const tsx = join(root, 'node_modules', '.bin', 'tsx');

if (useSandbox) {
  say('no CLINICIAN_CONSOLE_CONFIG: starting the embedded sandbox…');
  const sandbox = spawn(tsx, ['test/stack/sandbox.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(sandbox);
  const info = await firstJsonLine(sandbox);
  const dir = join(root, '.sandbox');
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'settings.json');
  writeFileSync(configPath, JSON.stringify(info.consoleSettings, null, 2));
  env.CLINICIAN_CONSOLE_CONFIG = configPath;
  // The sandbox's stand-in for IT's policy (the Pexip status account behind the waiting badge).
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify(info.consolePolicy, null, 2));
  env.CLINICIAN_CONSOLE_POLICY = policyPath;
  env.NODE_EXTRA_CA_CERTS = info.caCertPath;
  env.CLINICIAN_CONSOLE_USER_DATA ??= join(dir, 'profile');
  say('sandbox accounts (invented; sandbox only):');
  for (const user of info.users) say(`  ${user.username} / ${user.password}`);
}

const electron = electronBinary();
if (electron) {
  const app = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', env });
  children.push(app);
  app.on('exit', () => { stopAll(); process.exit(0); });
} else {
  say('Electron is not available on this machine, so the console runs in the browser host.');
  const host = spawn(tsx, ['host/main.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(host);
  const { url } = await firstJsonLine(host);
  say(`open ${url} in Chromium or Chrome (Ctrl-C stops the console and the sandbox).`);
  // The address's secret is used once, by one tab (host/access.ts): say so before someone closes that tab.
  say('The address works once, in one tab; reloading that tab keeps the console. Opened again elsewhere, it shows nothing: restart to get a new address.');
  host.on('exit', () => { stopAll(); process.exit(0); });
}

function firstJsonLine(child) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`unexpected output: ${line.slice(0, 80)}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`exited early with code ${code}`)));
  });
}
