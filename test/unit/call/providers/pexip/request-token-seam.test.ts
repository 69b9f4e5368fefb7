/**
 * The seam the call window uses to hand @pexip/infinity main's request_token answer
 * (call/providers/pexip/request-token-seam.ts): the library's `call()` must send its
 * request_token through `window.fetch`, looked up when it asks, as a POST to exactly the URL
 * the seam answers. If an update of the library (pinned to an exact version in package.json)
 * binds fetch at load, takes an injected fetcher, or builds the URL otherwise, this fails
 * instead of the host's call silently asking the node for a token without the PIN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ClientCallType, createCallSignals, createInfinityClient, createInfinityClientSignals } from '@pexip/infinity';
import { requestTokenUrl } from '../../../../../call/providers/pexip/request-token-seam';

const g = globalThis as unknown as { window?: unknown; document?: unknown };
const had = { window: 'window' in g, document: 'document' in g };
afterEach(() => {
  if (!had.window) delete g.window;
  if (!had.document) delete g.document;
});

describe('the request_token seam of @pexip/infinity', () => {
  it('is pinned to an exact version, the one installed', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const installed = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
    for (const name of ['@pexip/infinity', '@pexip/infinity-api']) expect(pkg.dependencies[name]).toBe(installed(name));
  });

  it("sends call()'s request_token through window.fetch, looked up at request time, to the URL the seam answers", async () => {
    const seen: Array<{ url: string; method: string }> = [];
    // The window's fetch, installed after the library was loaded (as the call window does).
    g.window = {
      location: { host: 'console.invalid', protocol: 'https:' },
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        seen.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, method: (init?.method ?? 'GET').toUpperCase() });
        // A refusal ends the call attempt here: no media, no event stream.
        return new Response(JSON.stringify({ status: 'success', result: 'Invalid PIN' }), { status: 403, headers: { 'content-type': 'application/json' } });
      },
    };
    // The library builds an SSO return address from the page's base URI before asking.
    g.document = { baseURI: 'https://console.invalid/' };
    const client = createInfinityClient(createInfinityClientSignals([], { batchScheduleTimeoutMS: 50, batchBufferSize: 50 }), createCallSignals([]));
    const nodeUrl = 'https://pexip-node.invalid/';
    const alias = 'vmr-seam@pexip.invalid';
    await client.call({ conferenceAlias: alias, displayName: 'Seam test', callType: ClientCallType.AudioVideo, bandwidth: 0, host: nodeUrl.replace(/\/$/, ''), callTag: 'host' }).catch(() => undefined);
    expect(seen[0]).toEqual({ url: requestTokenUrl(nodeUrl, alias), method: 'POST' });
  });
});
