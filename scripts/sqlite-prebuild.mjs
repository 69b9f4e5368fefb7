// The SQLite binding's build, kept for the next `npm ci` on this machine.
//
// better-sqlite3-multiple-ciphers ships prebuilt binaries on GitHub, which this machine
// cannot reach, so its install script (prebuild-install, then node-gyp) compiles
// SQLite3MultipleCiphers from source at every `npm ci`: about 2 minutes of one core, most of
// a fresh clone's set-up. prebuild-install also looks for a "local prebuild" in a folder it
// is told (npm_config_<package>_local_prebuilds) under upstream's own file name (version,
// Node ABI, platform, architecture). After an install that compiled, the binary is packed
// there, in this user's cache; the next install unpacks it instead of compiling. A machine
// without the cache compiles as before, and a kept binary that does not load is removed and
// the binding compiled again.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { root, run, say } from './lib.mjs';

const PACKAGE = 'better-sqlite3-multiple-ciphers';
const BINARY = 'build/Release/better_sqlite3.node';

function prebuildsDir() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'clinician-console', 'prebuilds');
}

/** Where prebuild-install looks for the package's local prebuild (its getEnvPrefix). */
export function sqlitePrebuildEnv() {
  return { [`npm_config_${PACKAGE.replace(/[^a-zA-Z0-9]/g, '_')}_local_prebuilds`]: prebuildsDir() };
}

/** The kept build's path, named as prebuild-install names the download (glibc Linux, macOS, Windows). */
export function prebuildFile() {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', PACKAGE, 'package.json'), 'utf8'));
  return join(prebuildsDir(), `${PACKAGE}-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
}

function holdsBinary(file) {
  const listed = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.split('\n').includes(BINARY);
}

function bindingLoads() {
  const probe = `const D = require(${JSON.stringify(PACKAGE)}); const db = new D(':memory:'); db.prepare('select 1').get(); db.close();`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
}

/**
 * After `npm ci` (run with sqlitePrebuildEnv()): checks that the binding loads, compiling
 * it again if a kept build did not, and keeps a build that is not kept yet. Answers whether
 * the binding loads.
 */
export async function keepSqlitePrebuild() {
  const file = prebuildFile();
  // A kept file that is not a readable archive of the binary (cut short, say): the install
  // compiled instead, and the file is packed again below.
  if (existsSync(file) && !holdsBinary(file)) rmSync(file, { force: true });
  if (!bindingLoads()) {
    if (!existsSync(file)) return false;
    say('the kept SQLite build does not load here; removing it and compiling the binding…');
    rmSync(file, { force: true });
    const code = await run('npm', ['rebuild', PACKAGE], { env: sqlitePrebuildEnv() });
    if (code !== 0 || !bindingLoads()) return false;
  }
  if (existsSync(file)) return true;
  mkdirSync(prebuildsDir(), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const packed = spawnSync('tar', ['-czf', partial, '-C', join(root, 'node_modules', PACKAGE), BINARY], { stdio: 'ignore' });
  if (packed.status === 0) renameSync(partial, file);
  else rmSync(partial, { force: true }); // no tar: the next install compiles, as without a cache
  return true;
}
