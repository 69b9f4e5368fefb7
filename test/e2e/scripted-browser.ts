/**
 * The "system browser" as a script, for the specs whose subject is not sign-in: it follows
 * the URL main opens over plain HTTP (the IdP's redirects, with a cookie jar for the IdP's
 * origin), posts the IdP's sign-in form, and posts the IdP's answer (response mode
 * form_post) to the console's loopback listener, as a browser tab does. The IdP, MSAL and
 * the loopback listener are the real ones. What it leaves out is Chromium opening a tab and
 * rendering three pages, about 1.5 s, and the console's page left behind that tab: a
 * background tab, which Chromium draws about once in two seconds, so each later click
 * waited up to 2 s for the page to be "stable" (the booking spec took 99 s, now about 30).
 *
 * What it does not have: a browser profile. The IdP's session lives in this one jar and
 * ends with it, so specs about the browser's session (the account picker after a sign-out,
 * a shared workstation's next user) and the sign-in pages themselves use the real tab
 * (`signInInBrowser` in steps.ts).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

interface Answer {
  url: URL;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** At most this many redirects from the authorize URL to the loopback (a browser allows 20). */
const MAX_REDIRECTS = 20;

export interface ScriptedBrowser {
  /** Signs in at the IdP from `authorizeUrl` (what main opened) to the console's "You are signed in" page. */
  signIn(authorizeUrl: string, user: { username: string; password: string }): Promise<void>;
}

/** A scripted browser that trusts the run's CA (the IdP's certificate is issued by it). */
export function scriptedBrowser(caCertPath: string): ScriptedBrowser {
  const ca = readFileSync(caCertPath, 'utf8');
  return {
    async signIn(authorizeUrl, user) {
      const start = new URL(authorizeUrl);
      const jar = new Map<string, string>();
      const send = (url: URL, method: 'GET' | 'POST', form?: URLSearchParams) => exchange(url, { method, form, ca, jar: url.origin === start.origin ? jar : null });

      const formPage = await follow(send, await send(start, 'GET'));
      const action = /<form method="post" action="([^"]*\/login)"/.exec(formPage.body)?.[1];
      if (!action) throw new Error(`the identity provider showed no sign-in form (HTTP ${formPage.status} at ${where(formPage.url)})`);
      const form = new URLSearchParams({ username: user.username, password: user.password });
      let done = await follow(send, await send(new URL(decodeEntities(action), formPage.url), 'POST', form));
      // Entra's (and MSAL's) response mode form_post: the IdP answers with a form that its
      // script posts to the console's loopback listener at once, code and state inside.
      const callback = autoPostedForm(done.body);
      if (callback) done = await follow(send, await send(new URL(callback.action, done.url), 'POST', callback.fields));
      if (!done.body.includes('You are signed in')) throw new Error(`sign-in did not reach the console's "signed in" page: HTTP ${done.status} at ${where(done.url)}, headed "${heading(done.body)}"`);
    },
  };
}

/** Follows redirects with GET, as a browser does after a form's 303. */
async function follow(send: (url: URL, method: 'GET') => Promise<Answer>, first: Answer): Promise<Answer> {
  let answer = first;
  for (let hops = 0; answer.status >= 300 && answer.status < 400; hops++) {
    const location = answer.headers.location;
    if (!location || hops >= MAX_REDIRECTS) throw new Error(`a redirect without an end (HTTP ${answer.status} at ${where(answer.url)})`);
    answer = await send(new URL(location, answer.url), 'GET');
  }
  return answer;
}

function exchange(url: URL, opts: { method: 'GET' | 'POST'; form?: URLSearchParams | undefined; ca: string; jar: Map<string, string> | null }): Promise<Answer> {
  const body = opts.form?.toString();
  const headers: Record<string, string> = { accept: 'text/html' };
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  // The jar holds the IdP's cookies only; paths are not told apart (the IdP reads its own).
  if (opts.jar && opts.jar.size > 0) headers.cookie = [...opts.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest(url, { method: opts.method, headers, ca: opts.ca }) : httpRequest(url, { method: opts.method, headers });
    request.setTimeout(15_000, () => request.destroy(new Error(`no answer from ${url.origin} within 15 s`)));
    request.on('error', reject);
    request.on('response', (response) => {
      if (opts.jar) keepCookies(opts.jar, response.headers['set-cookie'] ?? []);
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ url, status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.end(body);
  });
}

function keepCookies(jar: Map<string, string>, setCookies: readonly string[]): void {
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') <= Date.now()));
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1).trim());
  }
}

/** The form a page posts by itself on load (response mode form_post), with its hidden fields. */
function autoPostedForm(html: string): { action: string; fields: URLSearchParams } | null {
  if (!/document\.forms\[0\]\.submit\(\)/.test(html)) return null;
  const action = /<form method="post" action="([^"]+)"/i.exec(html)?.[1];
  if (!action) return null;
  const fields = new URLSearchParams();
  for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/gi)) fields.append(decodeEntities(input[1]!), decodeEntities(input[2]!));
  return { action: decodeEntities(action), fields };
}

/**
 * Where an answer came from, for an error: the origin and the path's first segment only (the
 * IdP's paths go on with an interaction's id, which is not for a test report).
 */
function where(url: URL): string {
  return `${url.origin}/${url.pathname.split('/')[1] ?? ''}`;
}

/** A page's first heading (the IdP's pages name themselves there; they show no personal data in it). */
function heading(html: string): string {
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.trim() ?? '';
}

function decodeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}
