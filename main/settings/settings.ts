/**
 * The settings schema. Sources, lowest first: built-in defaults (Entra ID), the JSON file
 * named by CLINICIAN_CONSOLE_CONFIG (what `npm start` writes for the embedded sandbox),
 * then IT's managed policy (load.ts, policy.ts). Every source goes through this one
 * schema: a bad value is a clear error naming the key, never a half-configured start.
 */
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
    /** A browser sign-in gives up (and closes its loopback listener) after this long. */
    signInTimeoutSeconds: z.number().int().min(5).max(1800).default(240),
    /** Extra origins openExternal may open besides https: and mailto: (none by default). */
    externalAllowlist: z.array(z.string()).default([]),
    /** Linux without a keyring: Electron's 'basic_text' storage is not real encryption, so
     *  tokens are not stored that way unless IT accepts it explicitly. */
    allowBasicTextSecretStorage: z.boolean().default(false),
    /** Updates are off unless IT names a private feed: no surprise updates in a clinic. */
    updateChannel: z.enum(['off', 'private-feed']).default('off'),
    /** electron-updater "generic" feed URL, used only with updateChannel 'private-feed'. */
    updateFeedUrl: z.union([z.url({ protocol: /^https$/ }), z.literal('')]).default(''),
    /** 'system' follows the OS proxy settings; 'fixed' uses proxyRules; 'direct' uses none. */
    proxyMode: z.enum(['system', 'fixed', 'direct']).default('system'),
    /** Chromium proxy rules, e.g. "http=proxy.hospital.example:8080;https=proxy.hospital.example:8080". */
    proxyRules: z.string().max(1000).default(''),
    /** Hosts that bypass the fixed proxy, e.g. "<local>,*.hospital.example". */
    proxyBypassRules: z.string().max(1000).default(''),
    /** The offline schedule keeps this many days before today; older days are purged. */
    scheduleDaysBack: z.number().int().min(0).max(366).default(14),
    /** The offline schedule keeps this many days after today; later days are not stored. */
    scheduleDaysForward: z.number().int().min(0).max(366).default(30),
    /** Base of the guest join link "Add participant" produces (patient portal; the sandbox's guest page).
     *  Empty: the meeting's portalLink from the booking system. */
    invitationBaseUrl: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]).default(''),
    /** The hospital's SMS gateway for invitations: POST JSON {to, text}. Empty: no SMS option. */
    smsGatewayUrl: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]).default(''),
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

/** True when the console has what it needs to sign in and fetch a schedule. */
export function isConfigured(settings: Settings): boolean {
  return settings.clientId !== '' && settings.bookingApiUrl !== '' && settings.scopes.length > 0;
}
