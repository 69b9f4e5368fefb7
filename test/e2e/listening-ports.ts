/**
 * Which TCP ports a process and its children listen on, from the kernel's own table
 * (`ss -ltnp`): how the sign-in specs prove that no loopback listener was left open.
 * The whole process tree counts (see test/support/processes.ts).
 */
import { execFileSync } from 'node:child_process';
import { processTree } from '../support/processes';

/** Sorted ports on which the process tree rooted at `pid` listens. */
export function listeningPorts(pid: number): number[] {
  const tree = processTree(pid);
  const out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  const ports = new Set<number>();
  for (const line of out.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (!local || !pids.some((p) => tree.has(p))) continue;
    ports.add(Number(local.slice(local.lastIndexOf(':') + 1)));
  }
  return [...ports].sort((a, b) => a - b);
}
