/**
 * Electron's save dialog, as the core's `chooseSavePath` (the platform seam): asked over the
 * main window, starting in the user's Documents folder, for a zip.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, webContents } from 'electron';

export function createSavePathChooser(mainContentsId: () => number | undefined): (suggestedName: string) => Promise<string | null> {
  return async (suggestedName) => {
    const id = mainContentsId();
    const contents = id === undefined ? undefined : webContents.fromId(id);
    const parent = contents && !contents.isDestroyed() ? BrowserWindow.fromWebContents(contents) : null;
    const options: Electron.SaveDialogOptions = {
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: 'Zip', extensions: ['zip'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
