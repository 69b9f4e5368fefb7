// The kept SQLite build is found only if its folder and file name are the ones
// prebuild-install itself looks for: checked against prebuild-install's own functions, so an
// upgrade that renames them fails here rather than silently compiling again.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { prebuildFile, sqlitePrebuildEnv } from '../../../scripts/sqlite-prebuild.mjs';

const require = createRequire(import.meta.url);
const util = require('prebuild-install/util') as {
  getDownloadUrl(opts: object): string;
  localPrebuild(url: string, opts: object): string;
};
const pkg = require('better-sqlite3-multiple-ciphers/package.json') as { name: string; version: string };

describe('the kept SQLite build', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is where prebuild-install looks for a local prebuild of this package, for this Node', () => {
    Object.assign(process.env, sqlitePrebuildEnv());
    // What prebuild-install's rc.js gives on glibc Linux (no libc suffix), macOS and Windows.
    const opts = { pkg, runtime: 'node', abi: process.versions.modules, platform: process.platform, arch: process.arch, libc: '', 'tag-prefix': 'v' };
    expect(util.localPrebuild(util.getDownloadUrl(opts), opts)).toBe(prebuildFile());
  });

  it('is looked for in the user cache, under XDG_CACHE_HOME when set', () => {
    process.env.XDG_CACHE_HOME = '/tmp/cc-cache-test';
    expect(Object.values(sqlitePrebuildEnv())).toEqual(['/tmp/cc-cache-test/clinician-console/prebuilds']);
    expect(prebuildFile().startsWith('/tmp/cc-cache-test/clinician-console/prebuilds/')).toBe(true);
  });
});
