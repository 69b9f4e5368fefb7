/**
 * The window half of the provider registry (main's is call/main/provider-registry.ts): how
 * the call window loads each provider's client. Each is loaded on its own, since each pulls
 * in its server's library (janus.js, @pexip/infinity) and a window needs only one.
 */
import type { ProviderKind } from '../common/call-model';
import type { CallClient, HostPort } from './call-client';

export type ClientFactory = (port: HostPort, displayName: string) => CallClient;

const loaders: { readonly [K in ProviderKind]: () => Promise<ClientFactory> } = {
  pexip: () => import('../providers/pexip/window/pexip-call-client').then((m) => (p: HostPort, name: string) => new m.PexipCallClient(p, name)),
  janus: () => import('../providers/janus/window/janus-call-client').then((m) => (p: HostPort, name: string) => new m.JanusCallClient(p, name)),
};

export function loadCallClient(provider: ProviderKind): Promise<ClientFactory> {
  return loaders[provider]();
}
