/**
 * Runs the browser host as its own process (as Electron's main would be one):
 *   CLINICIAN_CONSOLE_CONFIG=<settings.json> CLINICIAN_CONSOLE_USER_DATA=<dir> tsx host/main.ts
 * Prints one JSON line on stdout when ready (host/run-host.ts); stops on SIGINT/SIGTERM.
 * A browser tab cannot see the OS's screen lock or idle time, so the shared-workstation policy
 * does not apply here (logged when set).
 */
import { runBrowserHost } from './run-host';

await runBrowserHost();
