// Shared helpers for the project scripts. Node built-ins only: these run before
// node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a command with inherited output (or, with `onOutput`, hands its stdout and stderr to
 * that); resolves with its exit code. With `timeoutMs`, a command still running then is
 * killed and resolves 124 (as timeout(1) does): a check that hangs fails with its name
 * instead of eating CI's whole time limit in silence.
 */
export function run(command, args, opts = {}) {
  const { onOutput, timeoutMs, ...spawnOpts } = opts;
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...spawnOpts, env: { ...process.env, ...opts.env } });
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          say(`${command} ${args.join(' ')}: still running after ${Math.round(timeoutMs / 1000)} s; stopped`);
          child.kill('SIGKILL');
        }, timeoutMs)
      : null;
    child.stdout?.on('data', (chunk) => onOutput?.(chunk));
    child.stderr?.on('data', (chunk) => onOutput?.(chunk));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(timedOut ? 124 : (code ?? (signal ? 1 : 0)));
    });
    child.on('error', () => resolve(127));
  });
}

export function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Where the Electron binary would be, if `electron`'s install script could fetch it. */
export function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export function say(message) {
  process.stderr.write(`[clinician-console] ${message}\n`);
}
