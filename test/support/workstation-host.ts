/**
 * The browser host with a simulated workstation, for e2e specs of the shared-workstation
 * policy (the real host cannot see the OS's lock or idle time, and no spec waits real minutes).
 * Test code: the product's host (host/main.ts) has no such thing. Only the process that started
 * it can drive it, through its stdin, one JSON command a line:
 *   {"pass": <seconds>, "active": <bool, optional>}  time passes on the workstation (idle unless active)
 *   {"lock": true}                                     the screen locks
 */
import { createInterface } from 'node:readline';
import { runBrowserHost } from '../../host/run-host';
import { simulatedWorkstation } from './simulated-workstation';

const workstation = simulatedWorkstation();
await runBrowserHost({ workstation });

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { pass?: number; active?: boolean; lock?: boolean };
  if (typeof command.pass === 'number') workstation.pass(command.pass, { active: command.active === true });
  if (command.lock === true) workstation.lock();
});
