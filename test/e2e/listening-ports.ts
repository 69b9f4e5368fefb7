/**
 * Which TCP ports a process and its children listen on, from the kernel's own table
 * (`ss -ltnp`): how the sign-in specs prove that no loopback listener was left open.
 * The browser host runs under tsx, which starts the real Node process as a child, so the
 * whole process tree counts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

function processTree(root: number): Set<number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

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
