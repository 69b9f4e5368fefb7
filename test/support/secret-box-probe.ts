/**
 * Run by test/unit/host/secret-box.test.ts inside a private D-Bus session with
 * gnome-keyring's Secret Service: `secret-box-probe.ts encrypt|decrypt <profile> <file>`.
 * Prints one JSON line: the store the host's SecretBox chose and what it read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHostSecretBox } from '../../host/secret-box';
import { createLogger } from '../../main/log/logger';

const [mode, profileDir, file] = process.argv.slice(2) as [string, string, string];
const box = createHostSecretBox({ profileDir, allowPlainStorage: false, log: createLogger([]) });
if (mode === 'encrypt') {
  writeFileSync(file, box.encryptString('invented secret'));
  process.stdout.write(JSON.stringify({ store: box.store }) + '\n');
} else {
  process.stdout.write(JSON.stringify({ store: box.store, plain: box.decryptString(readFileSync(file)) }) + '\n');
}
