/**
 * Which Electron the e2e fixture launches, if any (the binary cannot be downloaded on the
 * project's CI machine, where the fixture uses the browser host instead).
 *
 * CC_ELECTRON_BINARY names a packaged console's executable (what `electron-builder --dir`
 * writes: dist/linux-unpacked/clinician-console, dist/win-unpacked/Clinician Console.exe,
 * dist/mac*\/Clinician Console.app/Contents/MacOS/Clinician Console): the release gates test
 * what ships. Set but missing is an error, never a quiet fallback to another app.
 * Without it: the development Electron from node_modules, running this checkout (out/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const projectRoot = join(import.meta.dirname, '..', '..');

export interface ElectronTarget {
  /** The executable to launch. */
  binary: string;
  /** A packaged console: it loads its own app.asar, so no app folder is passed. */
  packaged: boolean;
  /** Arguments before the test's own: the app folder for the development Electron. */
  appArgs: string[];
}

export function electronTarget(env: Record<string, string | undefined> = process.env, root = projectRoot): ElectronTarget | null {
  const named = env.CC_ELECTRON_BINARY;
  if (named !== undefined && named !== '') {
    const binary = isAbsolute(named) ? named : resolve(root, named);
    if (!existsSync(binary)) throw new Error(`CC_ELECTRON_BINARY names no file: ${binary}`);
    return { binary, packaged: true, appArgs: [] };
  }
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { binary, packaged: false, appArgs: [root] } : null;
}

/** The executable the fixture would launch, or null where it uses the browser host. */
export function electronBinary(env: Record<string, string | undefined> = process.env): string | null {
  return electronTarget(env)?.binary ?? null;
}

/**
 * Where a packaged console keeps its profile, and the environment that puts it there. An
 * installed console ignores CLINICIAN_CONSOLE_USER_DATA (main/index.ts), so on Linux each
 * launch gets its own XDG_CONFIG_HOME: Electron's userData is `$XDG_CONFIG_HOME/<productName>`.
 * Windows and macOS put it in the account's own folder whatever the environment says; there
 * the release gates launch the console once per fresh runner (the smoke test).
 */
export function packagedProfile(opts: {
  platform: NodeJS.Platform;
  productName: string;
  /** A folder of this test's own (a new profile), or the profile of an earlier launch (a restart). */
  configHome: string;
  env: Record<string, string | undefined>;
  home: string;
}): { userDataDir: string; env: Record<string, string> } {
  switch (opts.platform) {
    case 'win32': {
      if (!opts.env.APPDATA) throw new Error('APPDATA is not set');
      return { userDataDir: join(opts.env.APPDATA, opts.productName), env: {} };
    }
    case 'darwin':
      return { userDataDir: join(opts.home, 'Library', 'Application Support', opts.productName), env: {} };
    default:
      return { userDataDir: join(opts.configHome, opts.productName), env: { XDG_CONFIG_HOME: opts.configHome } };
  }
}
