#!/usr/bin/env node
// Installs what the console needs, and only what is missing:
//  - npm dependencies (npm ci) when node_modules is absent or older than package-lock.json,
//    keeping the SQLite binding's build for the next install (scripts/sqlite-prebuild.mjs);
//  - the Electron binary where it can be downloaded; where it cannot (no internet, as on
//    the project's CI machine) the install still succeeds and the console runs in the
//    browser host instead;
//  - with --system: the Debian/Ubuntu packages the sandbox and the tests run for real
//    (chromium, janus, coturn, iproute2, gnome-keyring and dbus-daemon), through apt-get when missing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, has, root, run, say } from './lib.mjs';
import { keepSqlitePrebuild, sqlitePrebuildEnv } from './sqlite-prebuild.mjs';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');

export async function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.clinician-console-setup');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return true;
  say('installing npm dependencies (npm ci)…');
  // Electron's own install script downloads its binary; we do that separately below, so a
  // machine without internet still gets every package (and Electron's typings).
  // The SQLite binding compiles from source here unless an earlier install kept its build
  // (scripts/sqlite-prebuild.mjs). --prefer-offline: a package already in npm's cache is
  // taken from there without asking the registry again (the lock file pins each one by its
  // hash either way); npm ci took 33 s instead of 43 here.
  const code = await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...sqlitePrebuildEnv() },
  });
  if (code !== 0) {
    say('npm ci failed; see the output above.');
    return false;
  }
  if (!(await keepSqlitePrebuild())) {
    say('the SQLite binding (better-sqlite3-multiple-ciphers) does not load after npm ci; see the output above.');
    return false;
  }
  writeFileSync(stamp, hash);
  await ensureElectronBinary(true);
  return true;
}

export async function ensureElectronBinary(afterInstall = false) {
  if (electronBinary()) return true;
  const failedMarker = join(root, 'node_modules', '.electron-binary-unavailable');
  if (!afterInstall && existsSync(failedMarker)) return false;
  say('fetching the Electron binary…');
  const code = await run('node', ['node_modules/electron/install.js'], {
    stdio: quiet ? 'ignore' : 'inherit',
    env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
    timeout: 180_000,
  });
  if (code === 0 && electronBinary()) return true;
  writeFileSync(failedMarker, new Date().toISOString());
  say('the Electron binary is not available on this machine (it could not be downloaded).');
  say('that is fine: `npm test` and `npm start` use the browser host (the same console in Chromium).');
  return false;
}

const systemPackages = [
  { command: 'chromium', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], pkg: 'chromium' },
  { command: 'janus', paths: ['/usr/bin/janus'], pkg: 'janus' },
  // A real STUN/TURN server the Pexip double hands out (test/stack/turn.ts), and the readiness check's tests ask.
  { command: 'turnserver', paths: ['/usr/bin/turnserver'], pkg: 'coturn' },
  { command: 'ip', paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'], pkg: 'iproute2' },
  // A real Secret Service for the browser host's keyring test (run in a private D-Bus session).
  { command: 'gnome-keyring-daemon', paths: ['/usr/bin/gnome-keyring-daemon'], pkg: 'gnome-keyring' },
  { command: 'dbus-run-session', paths: ['/usr/bin/dbus-run-session'], pkg: 'dbus-daemon' },
  { command: 'unshare', paths: ['/usr/bin/unshare'], pkg: 'util-linux' },
  // The policy templates' test reads them with parsers that are not ours (xml.etree, plistlib).
  { command: 'python3', paths: ['/usr/bin/python3'], pkg: 'python3' },
];

export async function ensureSystemPackages() {
  const missing = systemPackages.filter((p) => !p.paths.some((path) => existsSync(path)) && !has(p.command));
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.pkg);
  if (!has('apt-get')) {
    say(`please install: ${names.join(' ')} (Chromium and the Janus WebRTC server, version 1.1 or newer).`);
    return false;
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  say(`installing Debian packages: ${names.join(' ')}…`);
  const apt = (...a) => run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...a], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
  if ((await apt('update', '-qq')) !== 0 || (await apt('install', '-y', '-qq', '--no-install-recommends', ...names)) !== 0) {
    say(`apt-get could not install ${names.join(' ')}; install them and run again.`);
    return false;
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let ok = await ensureNodeModules();
  if (ok && args.has('--system')) ok = await ensureSystemPackages();
  if (ok && !quiet) say(electronBinary() ? 'ready (Electron available).' : 'ready (browser host; no Electron binary here).');
  process.exit(ok ? 0 : 1);
}
