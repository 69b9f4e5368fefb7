/**
 * Settings the console runs with. Sources, lowest first: built-in defaults (Entra ID),
 * then the JSON file named by CLINICIAN_CONSOLE_CONFIG (what `npm start` writes for the
 * embedded sandbox, and what the e2e fixture writes). IT's managed policy will sit above
 * both. Every source goes through one schema: a bad value is a clear error naming the key,
 * never a half-configured start.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../ipc/router';

const Url = z.url({ protocol: /^(https?|wss?)$/ });

export const SettingsSchema = z
  .object({
    /** The identity provider's authority: Entra ID's tenant URL, or any OIDC issuer. */
    authority: Url.default('https://login.microsoftonline.com/organizations/'),
    /** 'AAD' for Entra ID; 'OIDC' for any other OpenID Connect provider (the test IdP). */
    protocolMode: z.enum(['AAD', 'OIDC']).default('AAD'),
    /** Hosts MSAL may trust without Microsoft's instance discovery (needed offline and for OIDC). */
    knownAuthorities: z.array(z.string().min(1)).default([]),
    clientId: z.string().default(''),
    /** Scopes for the booking API (MSAL adds openid, profile and offline_access itself). */
    scopes: z.array(z.string().min(1)).default([]),
    /** VDX Booking Module API base URL; `${bookingApiUrl}/v2/meetings` is the meetings endpoint. */
    bookingApiUrl: z.union([Url, z.literal('')]).default(''),
    /** Janus WebSocket (ws:// or wss://) URL. */
    conferenceServerUrl: z.union([Url, z.literal('')]).default(''),
    /** Remove the user's cached schedule at sign-out (shared workstations). */
    wipeScheduleOnSignOut: z.boolean().default(true),
    /** Booking API requests give up after this long. */
    requestTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** Extra origins openExternal may open besides https: and mailto: (none by default). */
    externalAllowlist: z.array(z.string()).default([]),
    /** Linux without a keyring: Electron's 'basic_text' storage is not real encryption, so
     *  tokens are not stored that way unless IT accepts it explicitly. */
    allowBasicTextSecretStorage: z.boolean().default(false),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function parseSettings(input: unknown, source: string): Settings {
  const parsed = SettingsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new SettingsError(`Invalid settings in ${source}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadSettings(opts: { env: NodeJS.ProcessEnv; userDataDir?: string }): Settings {
  const file = opts.env.CLINICIAN_CONSOLE_CONFIG;
  if (!file) return parseSettings({}, 'defaults');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SettingsError(`Could not read the settings file named by CLINICIAN_CONSOLE_CONFIG (${(error as Error).message})`);
  }
  return parseSettings(raw, 'the settings file');
}

/** True when the console has what it needs to sign in and fetch a schedule. */
export function isConfigured(settings: Settings): boolean {
  return settings.clientId !== '' && settings.bookingApiUrl !== '' && settings.scopes.length > 0;
}
