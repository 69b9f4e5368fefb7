/**
 * The console's start-up, shared by both entries: Electron's (main/index.ts) and the browser
 * host's (host/main.ts). One wiring of settings, CSP, the origins the system browser may be
 * sent to, the services, the bridge's handlers and router, so the two cannot drift apart:
 * what an entry adds is only how windows, storage and the system browser are done there.
 *
 * Two steps, because an entry needs the configuration (CSP for its protocol handler, the
 * allowed origins for its openExternal, the secret-storage policy) before it can build the
 * Platform that the services are then started with.
 */
import type { Logger } from '../log/logger';
import { allowedOriginsFrom } from '../platform/open-external';
import { diagnosticsText } from '../../common/diagnostics-text';
import { saveLogsForIt } from '../diagnostics/logs-for-it';
import { createRouter, type Handlers, type LogChannel, type Router } from '../ipc/router';
import { createWindowLog } from '../log/window-log';
import { loadEffectiveSettings } from '../settings/load';
import type { EffectiveSettings } from '../settings/policy';
import type { Settings } from '../settings/settings';
import { SYNC_INTERVAL_MS, syncIntervalFrom } from '../settings/sync-interval';
import { buildCsp, conferenceOriginsOf } from '../windows/csp';
import { createCore, type Core } from './app-core';
import { configErrorHandlers } from './config-error-core';
import { UserFacingError } from './errors';
import type { EventSink, Platform } from './ports';

export interface ConsoleConfig {
  /** null: the settings or a policy are invalid; the console shows only `configError`. */
  settings: Settings | null;
  effective?: EffectiveSettings;
  configError: string | null;
  /** The renderer's Content Security Policy (names the configured conference servers). */
  csp: string;
  /** Exact origins the system browser may be sent to (identity provider, portal, IT's list). */
  externalOrigins: string[];
  /** How often a watched day syncs (15 s; shorter only for tests: settings/sync-interval.ts). */
  syncIntervalMs?: number;
  /** Reads the settings and policy again, as at this start (a policy file changed). */
  reload?: () => EffectiveSettings;
}

export function loadConsoleConfig(opts: {
  env: NodeJS.ProcessEnv;
  /** Development, tests, the browser host: CLINICIAN_CONSOLE_POLICY counts. */
  allowEnvPolicy: boolean;
  /** An installed build: the user's settings file counts only where policy allows it. */
  installed: boolean;
  log: Logger;
}): ConsoleConfig {
  let settings: Settings | null = null;
  let effective: EffectiveSettings | undefined;
  let configError: string | null = null;
  let syncIntervalMs = SYNC_INTERVAL_MS;
  const load = (): EffectiveSettings => {
    const loaded = loadEffectiveSettings({ env: opts.env, allowEnvPolicy: opts.allowEnvPolicy, installed: opts.installed });
    // For IT's log too (Diagnostics lists them): keys, sources and reason codes, never values.
    for (const { key, source } of loaded.ignoredPolicyKeys) opts.log.warn(`policy key "${key}" in ${source} is unknown to this version: ignored`);
    for (const p of loaded.policyProblems) opts.log.warn(`policy source ${p.source} not applied: ${p.reason}${p.detail ? ` (${p.detail})` : ''}`);
    return loaded;
  };
  try {
    syncIntervalMs = syncIntervalFrom(opts.env, { allowEnv: opts.allowEnvPolicy });
    effective = load();
    settings = effective.settings;
  } catch (error) {
    // Invalid settings or policy do not stop the console: it shows an error screen naming
    // the bad key and does nothing else. Anything else is a bug and stops it.
    if (!(error instanceof Error && error.name === 'SettingsError')) throw error;
    opts.log.error('settings are invalid', error);
    configError = error.message;
  }
  return {
    settings,
    ...(effective ? { effective } : {}),
    configError,
    csp: buildCsp({ conferenceOrigins: conferenceOriginsOf(settings?.conferenceServers) }),
    externalOrigins: settings ? allowedOriginsFrom(settings) : [],
    syncIntervalMs,
    ...(effective ? { reload: load } : {}),
  };
}

export interface StartedConsole {
  /** null in configuration-error mode. */
  core: Core | null;
  /** Checks every bridge request against the contract before a handler sees it. */
  router: Router;
}

export async function startConsole(config: ConsoleConfig, opts: { platform: Platform; emit: EventSink; log: Logger }): Promise<StartedConsole> {
  const core = config.settings
    ? await createCore({
        platform: opts.platform,
        settings: config.settings,
        effective: config.effective,
        ...(config.reload ? { reloadPolicy: config.reload } : {}),
        log: opts.log,
        emit: opts.emit,
        ...(config.syncIntervalMs ? { syncIntervalMs: config.syncIntervalMs } : {}),
      })
    : null;
  const handlers = core ? core.handlers : configErrorHandlers(config.configError ?? 'The settings are invalid.', opts.platform);
  return { core, router: createRouter({ ...handlers, ...logHandlers(config, handlers, opts) }, opts.log.child('ipc')) };
}

/** The windows' log (every window, in every mode: a configuration error is worth a line too) and "Save logs for IT". */
function logHandlers(config: ConsoleConfig, handlers: Pick<Handlers, 'app.diagnostics'>, opts: { platform: Platform; log: Logger }): Pick<Handlers, LogChannel> {
  const windowLog = createWindowLog({ log: opts.log, level: () => config.settings?.logLevel ?? 'info' });
  const { platform } = opts;
  return {
    'log.write': async (line, sender) => {
      windowLog.write(sender.window, line);
      return { done: true as const };
    },
    'app.saveLogs': async (_request, sender) => {
      if (!platform.chooseSavePath) throw new UserFacingError('not-supported');
      const saved = await saveLogsForIt({
        ...(platform.logFile ? { logFile: platform.logFile } : {}),
        // Without a report (a configuration error refuses it) the logs are still worth having.
        diagnosticsText: () =>
          handlers['app.diagnostics']({}, sender).then(diagnosticsText, (error: unknown) => `No Diagnostics report: ${error instanceof UserFacingError ? error.code : 'internal'}`),
        chooseSavePath: platform.chooseSavePath,
      });
      opts.log.info(saved.saved ? 'logs for IT saved' : 'saving logs for IT was cancelled');
      return saved;
    },
  };
}
