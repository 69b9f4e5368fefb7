// A local OpenID Connect provider that plays Microsoft Entra ID for the console's tests.
//
// It is the certified `oidc-provider`, configured the way Entra treats a desktop public
// client: auth code + PKCE with a loopback redirect on any port, refresh tokens without a
// consent screen, JWT access tokens for the booking API with `aud`/`scp`/`oid`/`tid`, and
// ID tokens that carry `name` and `preferred_username` (MSAL fills the account from them).
// The sign-in page is a real HTML form (no JavaScript needed), so tests drive the same
// pages a person would. Like Entra it shows an account picker for `prompt=select_account`
// while the browser holds a session, and ends that session through its end_session_endpoint
// (RP-initiated logout), asking the person first as OpenID Connect says it should.
import Provider, { errors, interactionPolicy } from 'oidc-provider';
import type {
  Account,
  Adapter,
  AdapterPayload,
  Configuration,
  Interaction,
  KoaContextWithOIDC,
} from 'oidc-provider';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { trustingFetch } from './ca';

export const DEFAULT_CLIENT_ID = 'clinician-console';
/** The booking API's resource indicator; becomes the access token's `aud`. */
export const DEFAULT_API_RESOURCE = 'api://clinician-vdx';
/** Booking-API scope name as Entra puts it in `scp` (without the resource prefix). */
export const API_SCOPE_NAME = 'meetings.read';
/** Invented tenant id (Entra's `tid`). */
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-00000000d3e0';
/** Roles the VDX spec's role claim may carry; our demo users get one of them. */
export const VDX_ROLES = [
  'meeting-admin',
  'meeting-user',
  'meeting-planner',
  'meeting-provisioner',
  'meeting-provisioner-user',
] as const;

export interface DemoUser {
  username: string;
  password: string;
  name: string;
  email: string;
  /** Entra object id; also our `sub`. */
  oid: string;
  /** App roles (Entra `roles` claim). The VDX sandbox needs one of VDX_ROLES. */
  roles: string[];
}

// Invented people only. The passwords are demo secrets printed by the sandbox on purpose.
export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'dr.demo@example.org',
    password: 'Demo-Clinician-1!',
    name: 'Dr. Demo Clinician',
    email: 'dr.demo@example.org',
    oid: '6f0c1b2a-0000-4000-8000-00000000c1a1',
    roles: ['meeting-planner'],
  },
  {
    username: 'nurse.demo@example.org',
    password: 'Demo-Nurse-1!',
    name: 'Demo Nurse',
    email: 'nurse.demo@example.org',
    oid: '6f0c1b2a-0000-4000-8000-00000000a115',
    roles: ['meeting-planner'],
  },
  {
    // Signs in fine but has no booking role: the VDX sandbox answers 403 for this user.
    username: 'visitor.demo@example.org',
    password: 'Demo-Visitor-1!',
    name: 'Demo Visitor Without Access',
    email: 'visitor.demo@example.org',
    oid: '6f0c1b2a-0000-4000-8000-000000000b0b',
    roles: [],
  },
  {
    // May read meetings but not book (VDX's meeting-provisioner role): writes answer 403.
    username: 'reader.demo@example.org',
    password: 'Demo-Reader-1!',
    name: 'Demo Reader Without Booking Rights',
    email: 'reader.demo@example.org',
    oid: '6f0c1b2a-0000-4000-8000-0000000000ea',
    roles: ['meeting-provisioner'],
  },
];

export interface StartIdpOptions {
  tls: { keyPem: string; certPem: string };
  /** Lifetime of booking-API access tokens. Default 3600 (Entra's default is 60-90 min). */
  accessTokenTtlSeconds?: number;
  /** Resource indicator / audience of the booking API. Default DEFAULT_API_RESOURCE. */
  resource?: string;
  clientId?: string;
}

export interface IdpHandle {
  /** `https://127.0.0.1:PORT/` — also the MSAL authority (with the trailing slash). */
  issuer: string;
  /** `127.0.0.1:PORT`, what MSAL's `knownAuthorities` needs. */
  knownAuthority: string;
  port: number;
  clientId: string;
  /** Resource indicator and `aud` of booking-API access tokens. */
  resource: string;
  /** The scope string a client asks MSAL for, e.g. `api://clinician-vdx/meetings.read`. */
  apiScope: string;
  accessTokenTtlSeconds: number;
  users: Array<{ username: string; password: string; name: string }>;
  jwksUri: string;
  /**
   * Revokes refresh tokens, grants and sign-in sessions (all users, or one by username),
   * like Entra's "revoke sessions": silent renewal fails and the next interactive sign-in
   * shows the form again. Issued JWT access tokens stay valid until they expire, as in Entra.
   */
  revokeRefreshTokens(username?: string): Promise<void>;
  /** Signs a booking-API access token directly, same shape and key as the token endpoint's. */
  mintAccessToken(username: string, opts?: { ttlSeconds?: number }): Promise<string>;
  /** true: stop listening (connections are refused, as for an unreachable IdP); false: listen again on the same port. */
  setDown(down: boolean): Promise<void>;
  isDown(): boolean;
  /**
   * Test-only record of what the token endpoint handed out, newest last: lets tests see a
   * silent renewal happen and search logs and caches for the exact token values.
   */
  readonly issuedTokens: readonly IssuedTokens[];
  /** Every request to the end_session_endpoint (RP-initiated logout), newest last. */
  readonly endSessionRequests: readonly EndSessionRequest[];
  /**
   * How many live sign-in sessions (browser sessions at the IdP, what `prompt=select_account`
   * offers and end-session ends) exist, for one user or for all.
   */
  signedInSessions(username?: string): number;
  stop(): Promise<void>;
}

export interface EndSessionRequest {
  /** The `client_id` parameter, if sent. */
  clientId: string | null;
  /** Whether an `id_token_hint` was sent (never its value: it names the person). */
  idTokenHint: boolean;
  /** Whether a `post_logout_redirect_uri` was sent. */
  postLogoutRedirectUri: boolean;
  /** The IdP's answer: 200 for its "sign out?" page, 400 for a refused request. */
  status: number;
  at: number;
}

export interface IssuedTokens {
  /** authorization_code (an interactive sign-in) or refresh_token (a silent renewal). */
  grantType: string;
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** When it was issued (ms since the epoch). */
  at: number;
}

// ---------------------------------------------------------------------------------
// Storage. oidc-provider's built-in memory adapter cannot be enumerated, and revoking
// one user's refresh tokens needs exactly that, so we keep our own small store.

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

class MemoryStore {
  readonly entries = new Map<string, Entry>(); // key: `${model}:${id}`

  get(key: string): AdapterPayload | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== undefined && e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.payload;
  }

  *matching(model: string, pred: (p: AdapterPayload) => boolean): Generator<[string, AdapterPayload]> {
    for (const [key, e] of this.entries) {
      if (key.startsWith(`${model}:`) && pred(e.payload)) yield [key, e.payload];
    }
  }
}

function adapterClass(store: MemoryStore) {
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      store.entries.set(this.key(id), {
        payload: structuredClone(payload),
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const p = store.get(this.key(id));
      return p ? structuredClone(p) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key] of store.matching(this.model, (p) => p.uid === uid)) {
        const p = store.get(key);
        if (p) return structuredClone(p);
      }
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key] of store.matching(this.model, (p) => p.userCode === userCode)) {
        const p = store.get(key);
        if (p) return structuredClone(p);
      }
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const p = store.get(this.key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      store.entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, e] of store.entries) {
        if (e.payload.grantId === grantId) store.entries.delete(key);
      }
    }
  };
}

// ---------------------------------------------------------------------------------
// Pages

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 3rem auto; padding: 0 1rem; color: #1b1b1b; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
  .actions { margin-top: 1.5rem; display: flex; gap: .75rem; }
  button { padding: .5rem 1rem; font-size: 1rem; }
  .error { color: #a4000f; border-left: 4px solid #a4000f; padding-left: .5rem; }
  .accounts { list-style: none; padding: 0; }
  .account { width: 100%; text-align: left; margin-bottom: .5rem; }
  .account span { color: #555; font-size: .875rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** Entra's account picker: the account(s) signed in in this browser, and "Use another account". */
function accountPickerPage(uid: string, accounts: readonly DemoUser[], clientName: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  const tiles = accounts
    .map(
      (a) => `<li><form method="post" action="${action}/select">
    <input type="hidden" name="account" value="${esc(a.oid)}">
    <button type="submit" class="account">${esc(a.name)}<br><span>${esc(a.username)}</span><br><span>Signed in</span></button>
  </form></li>`,
    )
    .join('\n');
  return page(
    'Pick an account',
    `<h1>Pick an account</h1>
<p>to continue to ${esc(clientName)} (test identity provider)</p>
<ul class="accounts" aria-label="Accounts">
${tiles}
</ul>
<form method="get" action="${action}/login">
  <button type="submit">Use another account</button>
</form>`,
  );
}

function loginPage(uid: string, opts: { username?: string; error?: string; clientName: string }): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  const error = opts.error
    ? `<p class="error" role="alert" id="signin-error">${esc(opts.error)}</p>`
    : '';
  const describedBy = opts.error ? ' aria-describedby="signin-error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>to ${esc(opts.clientName)} (test identity provider)</p>
${error}
<form method="post" action="${action}/login">
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="off" spellcheck="false" required value="${esc(opts.username ?? '')}"${describedBy}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
  <div class="actions">
    <button type="submit">Sign in</button>
    <button type="submit" formaction="${action}/abort" formnovalidate>Cancel</button>
  </div>
</form>`,
  );
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No scripts at all; the form works without them. No form-action directive on purpose:
  // Chromium applies it to the redirects that follow a submit, and the last one goes to the
  // app's loopback listener on a port we cannot know in advance.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function samePassword(a: string, b: string): boolean {
  // Compare digests so the comparison takes the same time whatever the lengths.
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * oidc-provider's default prompts (login, consent) plus Entra's `select_account`, first:
 * asked for, it shows the picker whenever the browser holds a session, so nobody is signed
 * in silently as whoever used the browser before. Without a session there is nothing to
 * pick and the sign-in form is shown, as in Entra.
 */
function entraInteractionPolicy(): interactionPolicy.Prompt[] {
  const { Check, Prompt, base } = interactionPolicy;
  const policy = base();
  const selectAccount = new Prompt({ name: 'select_account', requestable: true });
  // The requestable prompt's own check asks even without a session; replaced by Entra's rule.
  selectAccount.checks.remove('select_account_prompt');
  selectAccount.checks.add(
    new Check('select_account_prompt', 'account selection was requested', 'account_selection_required', (ctx) => {
      const { oidc } = ctx;
      if (!oidc.prompts.has('select_account') || !oidc.promptPending('select_account')) return Check.NO_NEED_TO_PROMPT;
      if (!oidc.session?.accountId) return Check.NO_NEED_TO_PROMPT;
      // Typing in credentials was the choice of account.
      if (oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      return Check.REQUEST_PROMPT;
    }),
  );
  policy.add(selectAccount, 0);
  return policy;
}

// ---------------------------------------------------------------------------------

export async function startIdp(opts: StartIdpOptions): Promise<IdpHandle> {
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  const resource = opts.resource ?? DEFAULT_API_RESOURCE;
  const apiScope = `${resource.replace(/\/+$/, '')}/${API_SCOPE_NAME}`;
  const accessTokenTtlSeconds = opts.accessTokenTtlSeconds ?? 3600;
  if (!Number.isSafeInteger(accessTokenTtlSeconds) || accessTokenTtlSeconds <= 0) {
    throw new Error('accessTokenTtlSeconds must be a positive integer');
  }

  const usersByOid = new Map(DEMO_USERS.map((u) => [u.oid, u]));
  const userByName = (username: string) =>
    DEMO_USERS.find((u) => u.username.toLowerCase() === username.trim().toLowerCase());

  // One RS256 signing key per instance, like Entra's published signing keys. We hold the
  // private key so mintAccessToken can sign the very same way the token endpoint does.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  const store = new MemoryStore();

  // Listen first: the issuer must name the port, and port 0 lets the OS pick a free one.
  const sockets = new Set<Socket>();
  const server = https.createServer({ key: opts.tls.keyPem, cert: opts.tls.certPem });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://127.0.0.1:${port}/`;

  const scopeShortNames = (scope: string | undefined): string =>
    (scope ?? '')
      .split(' ')
      .filter((s) => s.startsWith(`${resource.replace(/\/+$/, '')}/`))
      .map((s) => s.slice(resource.replace(/\/+$/, '').length + 1))
      .join(' ');

  const entraClaims = (u: DemoUser) => ({
    oid: u.oid,
    tid: DEMO_TENANT_ID,
    name: u.name,
    preferred_username: u.username,
    roles: u.roles,
    ver: '2.0',
  });

  const configuration: Configuration = {
    adapter: adapterClass(store),
    clients: [
      {
        client_id: clientId,
        client_name: 'Clinician Console',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Native loopback redirect (RFC 8252 7.3): any port on http://localhost matches.
        redirect_uris: ['http://localhost'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    // Entra's ID token carries oid/tid always and name/preferred_username with `profile`.
    claims: {
      openid: ['sub', 'oid', 'tid'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Without this, profile claims go only to userinfo and MSAL's account.username is empty.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [privateJwk] },
    pkce: { required: () => true },
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // RP-initiated logout, as Entra's /oauth2/v2.0/logout: the end_session_endpoint in
      // discovery; with a session it asks before signing out (no id_token_hint proves who
      // asks), then ends the browser session and revokes the grants made in it.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const who = ctx.oidc.session?.accountId ? usersByOid.get(ctx.oidc.session.accountId) : undefined;
          ctx.type = 'html';
          ctx.body = page(
            'Sign out',
            `<h1>Sign out?</h1>
${who ? `<p>You are signed in as ${esc(who.name)} (${esc(who.username)}).</p>` : ''}
<p>This signs you out of the test identity provider in this browser.</p>
${form}
<div class="actions">
  <button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
  <button type="submit" form="op.logoutForm">Stay signed in</button>
</div>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = page(
            'Signed out',
            "<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>",
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        // MSAL never sends `resource`; Entra derives the API from the scope. We default to
        // the one API we know, and reuse the granted one at the token endpoint.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: apiScope,
            audience: resource,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: (_ctx, sub): Account | undefined => {
      const u = usersByOid.get(sub);
      if (!u) return undefined;
      return {
        accountId: u.oid,
        claims: () => ({
          sub: u.oid,
          oid: u.oid,
          tid: DEMO_TENANT_ID,
          name: u.name,
          preferred_username: u.username,
          email: u.email,
          email_verified: true,
        }),
      };
    },
    // Entra-style claims in booking-API access tokens: `scp` holds the short scope names,
    // plus who the user is and their app roles (the VDX role claim).
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const u = usersByOid.get(token.accountId);
      if (!u) return undefined;
      return { ...entraClaims(u), scp: scopeShortNames(token.scope), azp: token.clientId };
    },
    interactions: {
      policy: entraInteractionPolicy(),
      url: (_ctx: KoaContextWithOIDC, interaction: Interaction) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Sign-in error</h1><p role="alert">${esc(String(out.error))}: ${esc(String(out.error_description ?? ''))}</p>`,
      );
    },
  };

  const provider = new Provider(issuer, configuration);

  // Entra issues refresh tokens to public clients that ask for offline_access (MSAL always
  // does) without any consent screen. oidc-provider follows OIDC Core instead: it drops
  // offline_access from every authorization request whose prompt lacks `consent` (a missing
  // prompt counts as lacking it). We bridge that for our first-party client only: add
  // `consent`, whose step is then granted automatically (see autoConsent), so nobody sees a
  // consent page. `select_account` stays: the picker (entraInteractionPolicy) answers it.
  const issuedTokens: IssuedTokens[] = [];
  const endSessionRequests: EndSessionRequest[] = [];
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/auth' && ctx.query.client_id === clientId) {
      const q = { ...ctx.query } as Record<string, string | string[] | undefined>;
      const prompts = new Set(typeof q.prompt === 'string' ? q.prompt.split(' ').filter(Boolean) : []);
      const wantsOffline = typeof q.scope === 'string' && q.scope.split(' ').includes('offline_access');
      // prompt=none cannot be combined with consent; there the OIDC rule stands.
      if (wantsOffline && !prompts.has('none')) prompts.add('consent');
      if (prompts.size) q.prompt = [...prompts].join(' ');
      else delete q.prompt;
      ctx.query = q;
    }
    await next();
    if (ctx.path === '/session/end') {
      // The parameters as oidc-provider read them (query for GET, form body for POST).
      const param = (name: string) => {
        const value = (ctx.oidc?.params as Record<string, unknown> | undefined)?.[name] ?? ctx.query[name];
        return typeof value === 'string' ? value : null;
      };
      endSessionRequests.push({
        clientId: param('client_id'),
        idTokenHint: param('id_token_hint') !== null,
        postLogoutRedirectUri: param('post_logout_redirect_uri') !== null,
        status: ctx.status,
        at: Date.now(),
      });
    }
    if (ctx.path === '/token' && ctx.status === 200) {
      const body = ctx.body as { access_token?: unknown; refresh_token?: unknown; id_token?: unknown } | undefined;
      if (body && typeof body.access_token === 'string') {
        issuedTokens.push({
          grantType: String(ctx.oidc?.params?.grant_type ?? ''),
          accessToken: body.access_token,
          ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
          ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
          at: Date.now(),
        });
      }
    }
    // Entra answers a revoked or expired refresh token with invalid_grant plus
    // `suberror: bad_token`; MSAL turns exactly that into an InteractionRequiredAuthError
    // and drops the dead refresh token from its cache. Plain invalid_grant would surface
    // as a generic ServerError, which the app would never see in production.
    if (ctx.path === '/token' && ctx.status === 400 && ctx.oidc?.params?.grant_type === 'refresh_token') {
      const body = ctx.body as { error?: string } | undefined;
      if (body && typeof body === 'object' && body.error === 'invalid_grant') {
        ctx.body = { ...body, suberror: 'bad_token' };
      }
    }
  });

  const providerCallback = provider.callback();

  async function autoConsent(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    const pd = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('consent without a signed-in session');
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    if (!grant) throw new Error('grant vanished during consent');
    if (pd.missingOIDCScope) grant.addOIDCScope(pd.missingOIDCScope.join(' '));
    if (pd.missingOIDCClaims) grant.addOIDCClaims(pd.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(pd.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function handleInteraction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: string | undefined,
  ): Promise<void> {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      // Missing/expired interaction cookie: the browser must start over from the app.
      res.writeHead(400, PAGE_HEADERS).end(
        page('Sign-in expired', '<h1>Sign-in expired</h1><p role="alert">This sign-in page has expired. Start the sign-in again from the app.</p>'),
      );
      return;
    }
    if (details.uid !== uid) {
      res.writeHead(400, PAGE_HEADERS).end(page('Bad request', '<h1>Bad request</h1>'));
      return;
    }
    const clientName = 'Clinician Console';
    const method = req.method ?? 'GET';

    const pickingAccount = details.prompt.name === 'select_account';

    if (action === undefined && method === 'GET' && pickingAccount) {
      const signedIn = details.session?.accountId ? usersByOid.get(details.session.accountId) : undefined;
      const html = signedIn ? accountPickerPage(uid, [signedIn], clientName) : loginPage(uid, { clientName });
      res.writeHead(200, PAGE_HEADERS).end(html);
      return;
    }

    // "Use another account" on the picker: the sign-in form, empty, as Entra shows it.
    if (action === 'login' && method === 'GET' && pickingAccount) {
      res.writeHead(200, PAGE_HEADERS).end(loginPage(uid, { clientName }));
      return;
    }

    // The account tile: continue as the account signed in in this browser, without a password.
    if (action === 'select' && method === 'POST' && pickingAccount) {
      const form = await readForm(req);
      if (!details.session?.accountId || form.get('account') !== details.session.accountId) {
        res.writeHead(400, PAGE_HEADERS).end(page('Bad request', '<h1>Bad request</h1><p role="alert">That account is not signed in here.</p>'));
        return;
      }
      await provider.interactionFinished(req, res, { select_account: {} }, { mergeWithLastSubmission: true });
      return;
    }

    if (action === undefined && method === 'GET') {
      if (details.prompt.name === 'login') {
        const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
        res.writeHead(200, PAGE_HEADERS).end(loginPage(uid, { username: hint, clientName }));
        return;
      }
      if (details.prompt.name === 'consent') {
        // First-party app: consent is the organisation's, never the user's (as with Entra admin consent).
        await autoConsent(req, res, details);
        return;
      }
    }

    if (action === 'abort' && method === 'POST') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    if (action === 'login' && method === 'POST' && (details.prompt.name === 'login' || pickingAccount)) {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      const user = userByName(username);
      if (!user || !samePassword(password, user.password)) {
        res
          .writeHead(200, PAGE_HEADERS)
          .end(loginPage(uid, { username, error: 'Incorrect username or password.', clientName }));
        return;
      }
      // Someone else than the browser's signed-in account: oidc-provider ends that session
      // first (one account per session), so the other person's session never carries over.
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.oid, amr: ['pwd'] }, ...(pickingAccount ? { select_account: {} } : {}) },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    res.writeHead(405, PAGE_HEADERS).end(page('Not allowed', '<h1>Not allowed</h1>'));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', issuer).pathname;
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort|select))?$/.exec(pathname);
    if (m?.[1]) {
      handleInteraction(req, res, m[1], m[2]).catch(() => {
        if (!res.headersSent) res.writeHead(500, PAGE_HEADERS);
        res.end(page('Error', '<h1>Something went wrong</h1>'));
      });
      return;
    }
    void providerCallback(req, res);
  });

  let down = false;

  async function closeServer(): Promise<void> {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets would keep the old server reachable; cut them.
    for (const s of sockets) s.destroy();
    await closed;
  }

  const handle: IdpHandle = {
    issuer,
    knownAuthority: `127.0.0.1:${port}`,
    port,
    clientId,
    resource,
    apiScope,
    accessTokenTtlSeconds,
    users: DEMO_USERS.map(({ username, password, name }) => ({ username, password, name })),
    jwksUri: new URL('jwks', issuer).href,

    async revokeRefreshTokens(username?: string) {
      let accountId: string | undefined;
      if (username !== undefined) {
        const u = userByName(username);
        if (!u) throw new Error(`unknown demo user ${username}`);
        accountId = u.oid;
      }
      const mine = (p: AdapterPayload) => accountId === undefined || p.accountId === accountId;
      const grantIds = new Set<string>();
      for (const [key, p] of [...store.matching('RefreshToken', mine)]) {
        if (p.grantId) grantIds.add(p.grantId);
        store.entries.delete(key);
      }
      for (const [key, p] of [...store.matching('Grant', mine)]) {
        if (p.jti) grantIds.add(p.jti);
        store.entries.delete(key);
      }
      for (const [key, e] of [...store.entries]) {
        if (e.payload.grantId && grantIds.has(e.payload.grantId)) store.entries.delete(key);
      }
      for (const [key] of [...store.matching('Session', mine)]) store.entries.delete(key);
    },

    async mintAccessToken(username: string, o?: { ttlSeconds?: number }) {
      const u = userByName(username);
      if (!u) throw new Error(`unknown demo user ${username}`);
      const ttl = o?.ttlSeconds ?? accessTokenTtlSeconds;
      const now = Math.floor(Date.now() / 1000);
      // Same header and claims as oidc-provider's RFC 9068 JWT access tokens, plus our
      // Entra-style extras (see extraTokenClaims).
      return new SignJWT({
        client_id: clientId,
        scope: apiScope,
        ...entraClaims(u),
        scp: API_SCOPE_NAME,
        azp: clientId,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .setIssuer(issuer)
        .setSubject(u.oid)
        .setAudience(resource)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .setJti(randomUUID())
        .sign(privateKey);
    },

    async setDown(d: boolean) {
      if (d === down) return;
      if (d) {
        down = true;
        await closeServer();
      } else {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        down = false;
      }
    },

    isDown: () => down,

    issuedTokens,

    endSessionRequests,

    signedInSessions(username?: string) {
      let accountId: string | undefined;
      if (username !== undefined) {
        const u = userByName(username);
        if (!u) throw new Error(`unknown demo user ${username}`);
        accountId = u.oid;
      }
      let count = 0;
      for (const [key, p] of [...store.matching('Session', (p) => typeof p.accountId === 'string')]) {
        // store.get drops an expired session.
        if (store.get(key) && (accountId === undefined || p.accountId === accountId)) count++;
      }
      return count;
    },

    async stop() {
      await closeServer();
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------

/**
 * An MSAL network client that trusts exactly the given CA.
 *
 * For in-process tests only. The app itself keeps MSAL's default client (global fetch)
 * and trusts the test CA through NODE_EXTRA_CA_CERTS, which Node reads at start-up and
 * so cannot be set by a test that creates its CA after the process started.
 */
export function createMsalNetworkClient(caCertPem: string): INetworkModule {
  const fetchTrusting = trustingFetch(caCertPem);
  async function send<T>(
    url: string,
    method: 'GET' | 'POST',
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const res = await fetchTrusting(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { headers, body: (await res.json()) as T, status: res.status };
  }
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}
