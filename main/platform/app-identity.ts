/**
 * Who the console is to Windows: the AppUserModelID its notifications, taskbar button and
 * Start-menu shortcut share. It must equal electron-builder's `appId` (electron-builder.yml),
 * which the installers write into the shortcut (System.AppUserModel.ID): if the running app
 * used another id, Windows would group its "patient waiting" toasts apart from the installed
 * shortcut and the user's notification switch for the console would not apply to them.
 * test/unit/build/windows-integration.test.ts keeps the two equal.
 */
import { existsSync } from 'node:fs';
import { windowsInstallKind } from '../updates/update-verification';

export const APP_USER_MODEL_ID = 'eu.clinicianconsole.app';

/**
 * Whether a packaged Windows console registers `clinician-console:` for the current user at
 * start. Not when the MSI installed it: the MSI registers the scheme per machine
 * (HKLM\Software\Classes, resources/msi/protocol.wxs), and a per-user copy in HKCU would shadow
 * it and outlive an uninstall that IT runs as another account, leaving links that open nothing.
 */
export function registersProtocolPerUser(opts: {
  execPath: string;
  productFilename: string;
  env: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
}): boolean {
  return windowsInstallKind({ ...opts, exists: opts.exists ?? existsSync }) !== 'msi';
}
