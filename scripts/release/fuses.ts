/**
 * The release gates' fuse helper (.github/workflows/release.yml).
 *
 *   tsx scripts/release/fuses.ts check <executable or .app>
 *     Reads the fuse wire of a built console and fails unless every fuse electron-builder.yml
 *     states has that value: proof that what ships has the fuses, not just the config.
 *   tsx scripts/release/fuses.ts allow-inspect <executable or .app>
 *     Turns EnableNodeCliInspectArguments back on in a copy the gates test: Playwright drives
 *     Electron through the Node inspector (--inspect=0) and cannot launch a console without it.
 *     Only ever run on a throw-away test copy, after `check` passed on the one that ships.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

// js-yaml: electron-builder's own YAML reader (no typings installed).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

/** The wire's byte values (@electron/fuses' FuseState). */
const ENABLE = 49;
const DISABLE = 48;

/** electron-builder.yml's `electronFuses`, by the fuse's index in the wire. */
export function statedFuses(builderYml: string): Map<FuseV1Options, boolean> {
  const config = load(builderYml) as { electronFuses?: Record<string, unknown> };
  const stated = new Map<FuseV1Options, boolean>();
  for (const [key, value] of Object.entries(config.electronFuses ?? {})) {
    const option = FuseV1Options[(key[0]!.toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options];
    if (option === undefined) throw new Error(`electron-builder.yml states a fuse @electron/fuses does not know: ${key}`);
    if (typeof value !== 'boolean') throw new Error(`electron-builder.yml: electronFuses.${key} is not true or false`);
    stated.set(option, value);
  }
  return stated;
}

/** The fuses whose wire value differs from the stated one, named; empty when all match. */
export async function fuseMismatches(app: string, stated: Map<FuseV1Options, boolean>): Promise<string[]> {
  const wire = (await getCurrentFuseWire(app)) as unknown as Record<number, number>;
  const wrong: string[] = [];
  for (const [option, enabled] of stated) {
    const actual = wire[option];
    if (actual !== (enabled ? ENABLE : DISABLE)) wrong.push(`${FuseV1Options[option]}: stated ${enabled ? 'on' : 'off'}, binary has ${actual === undefined ? 'no such fuse' : actual === ENABLE ? 'on' : actual === DISABLE ? 'off' : `state ${actual}`}`);
  }
  return wrong;
}

/** Only the inspector fuse, on; macOS: the ad-hoc signature renewed so the copy still starts. */
export async function allowInspector(app: string): Promise<void> {
  await flipFuses(app, { version: FuseVersion.V1, resetAdHocDarwinSignature: process.platform === 'darwin', [FuseV1Options.EnableNodeCliInspectArguments]: true });
}

async function main(argv: string[]): Promise<number> {
  const [command, app] = argv;
  if (!app || (command !== 'check' && command !== 'allow-inspect')) {
    console.error('usage: tsx scripts/release/fuses.ts check|allow-inspect <executable or .app>');
    return 2;
  }
  if (command === 'allow-inspect') {
    await allowInspector(app);
    console.log('EnableNodeCliInspectArguments on (test copy)');
    return 0;
  }
  const stated = statedFuses(readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8'));
  const wrong = await fuseMismatches(app, stated);
  for (const line of wrong) console.error(line);
  console.log(wrong.length === 0 ? `all ${stated.size} stated fuses as stated` : `${wrong.length} fuse(s) not as stated`);
  return wrong.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) process.exitCode = await main(process.argv.slice(2));
