/**
 * electron-builder's own validation of electron-builder.yml (its JSON schema and its
 * checks), run without packaging, so it needs no Electron binary and no network.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..', '..');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, options: unknown): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe("electron-builder's configuration validation", () => {
  it('accepts electron-builder.yml', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would reject a mistake (the check is real)', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration({ ...config, msi: { ...(config.msi as object), perMachin: true } }, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object.*msi/s,
    );
  });
});
