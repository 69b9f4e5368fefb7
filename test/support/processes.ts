/**
 * A process and its children, read from /proc: the browser host runs under tsx, which
 * starts the real Node process as a child, so what a console does (listen, burn CPU) is
 * what its whole process tree does.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Stat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function readStat(pid: string): Stat | null {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(3) ppid(4) … utime(14) stime(15), so index = field - 3.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process ended while we looked
  }
}

function allStats(): Map<number, Stat> {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) stats.set(Number(entry), stat);
  }
  return stats;
}

function treeOf(root: number, stats: Map<number, Stat>): Set<number> {
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of stats) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** The pids of the process tree rooted at `root`. */
export function processTree(root: number): Set<number> {
  return treeOf(root, allStats());
}

/** CPU time (user + system) the process tree rooted at `root` has used so far, in seconds. */
export function cpuSeconds(root: number): number {
  const stats = allStats();
  let ticks = 0;
  for (const pid of treeOf(root, stats)) ticks += stats.get(pid)?.ticks ?? 0;
  // Linux's USER_HZ is 100 on every architecture the project runs on.
  return ticks / 100;
}
