/**
 * MSAL's network client over a fetch function. In Electron the core passes `net.fetch`,
 * so sign-in goes through Chromium's network stack: the system (or IT's) proxy and the OS
 * certificate store, as hospital networks require. Elsewhere, Node's fetch.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * fetch's standard `cache: 'no-store'` (Electron's net.fetch and Node's fetch both honour it;
 * Node's typings leave `cache` out of RequestInit, hence the cast).
 */
export const NO_STORE = { cache: 'no-store' } as RequestInit;

export function fetchNetworkClient(doFetch: typeof fetch): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeoutMs?: number): Promise<NetworkResponse<T>> {
    const response = await doFetch(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      // Token responses (and the provider's metadata) stay out of Chromium's HTTP cache,
      // which outlives a sign-out on a shared workstation.
      ...NO_STORE,
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = {}; // MSAL reads the status and reports an error; the raw text may hold tokens
    }
    return { headers: Object.fromEntries(response.headers.entries()), body: body as T, status: response.status };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
