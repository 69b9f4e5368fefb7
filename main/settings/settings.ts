/**
 * The settings schema. Sources, lowest first: built-in defaults (Entra ID), the JSON file
 * named by CLINICIAN_CONSOLE_CONFIG (what `npm start` writes for the embedded sandbox),
 * then IT's managed policy (load.ts, policy.ts). Every source goes through this one
 * schema: a bad value is a clear error naming the key, never a half-configured start.
 */
import { z } from 'zod';
import { describeIssues } from '../ipc/router';
import { GUARD_PIN, GUARD_ROOM_REFERENCE } from '../../call/providers/janus/guard-api';

/** 127.0.0.0/8, ::1 and localhost: the only hosts a plain http:/ws: URL may name. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * A server URL: https: (or wss:) always, http: (or ws:) only for a loopback host. A bearer
 * token, a room token or patient data never crosses a network in the clear.
 */
function secureUrl(secure: 'https' | 'wss', plain: 'http' | 'ws') {
  return z.url({ protocol: new RegExp(`^(${secure}|${plain})$`) }).refine(
    (value) => {
      // zod runs refinements after a failed format check too: the URL error is said already.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.protocol === `${secure}:` || isLoopbackHost(url.hostname);
    },
    { message: `must be ${secure}: (${plain}: only on this computer, for testing)` },
  );
}
const HttpsUrl = secureUrl('https', 'http');
const WssUrl = secureUrl('wss', 'ws');
const Url = HttpsUrl;

/** A domain of meetings' room addresses (uriWithDomain), e.g. `vdx.region.example`. */
const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a domain such as video.hospital.example');

/** A registry REG_MULTI_SZ line holds an object as JSON: parsed here, anything else left to the schema. */
function jsonLine(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * The conference server for the meetings whose room address is in `domain`: a Pexip
 * Infinity Conferencing Node, or a Janus server with the room guard in front of it.
 * In the registry each entry is a REG_MULTI_SZ line of JSON, so a JSON string is accepted.
 */
export const ConferenceServer = z.preprocess(
  jsonLine,
  z.discriminatedUnion('provider', [
    z.object({ domain: Domain, provider: z.literal('pexip'), url: HttpsUrl }).strict(),
    z.object({ domain: Domain, provider: z.literal('janus'), url: WssUrl, guardUrl: HttpsUrl }).strict(),
  ]),
);
export type ConferenceServer = z.infer<typeof ConferenceServer>;

/**
 * A read-only account for Pexip's Management API (its Management Node, `url`), for the Pexip
 * server of `domain`: the day view's "who is waiting" reads the participant status with it
 * (a host token would start the conference and let waiting guests in). Policy only: it holds
 * a password, which never goes to a log or to Diagnostics. A JSON string per REG_MULTI_SZ line.
 */
export const PexipStatusApi = z.preprocess(
  jsonLine,
  z
    .object({
      domain: Domain,
      url: HttpsUrl.refine((value) => !new URL(value).username && !new URL(value).password, 'put the account in username and password, not in the URL'),
      username: z.string().min(1).max(200),
      password: z.string().min(1).max(500),
    })
    .strict(),
);
export type PexipStatusApi = z.infer<typeof PexipStatusApi>;

/**
 * The room guard's test room for the readiness check, for the Janus server of `domain`: the
 * check buys a host session with its host PIN and joins the room in Janus with the token the
 * guard stores, which proves admission works end to end. IT provisions the room on the guard
 * (GUARD_TEST_ROOM, GUARD_TEST_ROOM_PIN), where it has one publisher and no guest PIN anyone
 * knows (janus-guard/test-room.ts). Policy only: it holds a PIN. A JSON string per line.
 */
export const JanusTestRoom = z.preprocess(
  jsonLine,
  z
    .object({
      domain: Domain,
      room: z.string().regex(GUARD_ROOM_REFERENCE, 'expected the guard\'s GUARD_TEST_ROOM (16-64 of A-Z a-z 0-9 _ -)'),
      hostPin: z.string().regex(GUARD_PIN, 'expected the guard\'s GUARD_TEST_ROOM_PIN (4-20 digits)'),
    })
    .strict(),
);
export type JanusTestRoom = z.infer<typeof JanusTestRoom>;

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
    /** Which conference server hosts the rooms of which domain (the domain of a meeting's uriWithDomain). */
    conferenceServers: z
      .array(ConferenceServer)
      .max(50)
      .refine((list) => new Set(list.map((s) => s.domain)).size === list.length, 'each domain may be listed once')
      .default([]),
    /** Remove the user's cached schedule at sign-out (shared workstations). */
    wipeScheduleOnSignOut: z.boolean().default(true),
    /** Booking API requests give up after this long. */
    requestTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** A browser sign-in gives up (and closes its loopback listener) after this long. */
    signInTimeoutSeconds: z.number().int().min(5).max(1800).default(240),
    /** Origins openExternal may open besides the identity provider's and the patient portal's (exact origins; none by default). */
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
    /** The least severe log line written to main.log (and what windows send to it): 'debug' for
     *  a support case, 'warn' or 'error' for less; every line is redacted whatever the level. */
    logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    /** The offline schedule keeps this many days before today; older days are purged. */
    scheduleDaysBack: z.number().int().min(0).max(366).default(14),
    /** The offline schedule keeps this many days after today; later days are not stored. */
    scheduleDaysForward: z.number().int().min(0).max(366).default(30),
    /** Base of the guest join link "Add participant" produces (patient portal; the sandbox's guest page).
     *  Empty: the meeting's portalLink from the booking system. */
    invitationBaseUrl: z.union([HttpsUrl, z.literal('')]).default(''),
    /** The hospital's SMS gateway for invitations: POST JSON {to, text}. Empty: no SMS option. */
    smsGatewayUrl: z.union([HttpsUrl, z.literal('')]).default(''),
    /** The call window shrinks to a small always-on-top view when the host switches to another
     *  window (the patient record); false keeps it a normal window (installed app only). */
    callMiniView: z.boolean().default(true),
    /** Pexip: the console locks the meeting as soon as the host is in (and again after a rejoin,
     *  unless the host unlocked it), so a guest with the PIN waits until the host admits them, as
     *  on Janus; false leaves the meeting open to anyone with the guest PIN while a host is in. */
    pexipLockOnHostJoin: z.boolean().default(true),
    /** Pexip: the alias of a VMR IT creates for the readiness check ("Check conference servers",
     *  `npm run check-servers`), without a PIN: the check asks request_token on it and releases
     *  the token at once. Empty: those steps are skipped. Never a meeting's room. */
    pexipTestAlias: z
      .string()
      .trim()
      .max(250)
      .regex(/^[^\s/?#]*$/, 'expected an alias such as readiness-check@vmr.region.example')
      .default(''),
    /** Shared workstations: sign out (the whole sign-out of the Sign out button) when the OS locks
     *  the screen. A call in progress is never cut: the sign-out waits for its end. */
    signOutWhenLocked: z.boolean().default(false),
    /** Shared workstations: sign out after this many minutes without keyboard or mouse use on the
     *  workstation (the OS's idle time); 0: never. A call in progress is never cut. */
    signOutAfterIdleMinutes: z.number().int().min(0).max(720).default(0),
    /** Policy only: Pexip Management API accounts (read-only) for the waiting badge, by the Pexip
     *  server's domain. Without one, that server's meetings show no badge. */
    pexipStatusApi: z
      .array(PexipStatusApi)
      .max(50)
      .refine((list) => new Set(list.map((s) => s.domain)).size === list.length, 'each domain may be listed once')
      .default([]),
    /** Policy only: the room guard's test room for the readiness check, by the Janus server's
     *  domain. Without one, that server's admission step is skipped. */
    janusTestRooms: z
      .array(JanusTestRoom)
      .max(50)
      .refine((list) => new Set(list.map((s) => s.domain)).size === list.length, 'each domain may be listed once')
      .default([]),
    /** Policy only: an installed console reads the file named by CLINICIAN_CONSOLE_CONFIG only when IT allows it. */
    allowUserSettingsFile: z.boolean().default(false),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Keys only IT's policy may set: they decide what protects the user's data (secret storage),
 * what code runs (updates), where traffic goes (proxy, external links) and whether a user's
 * own settings file counts at all. A settings file that sets one is refused, naming the key.
 */
export const POLICY_ONLY_KEYS = [
  'allowBasicTextSecretStorage',
  'updateChannel',
  'updateFeedUrl',
  'proxyMode',
  'proxyRules',
  'proxyBypassRules',
  'externalAllowlist',
  'allowUserSettingsFile',
  // A password for the conference server's management API: IT's to hand out, never a user's.
  'pexipStatusApi',
  // A test room's host PIN: IT's to hand out.
  'janusTestRooms',
] as const satisfies ReadonlyArray<keyof Settings>;

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
