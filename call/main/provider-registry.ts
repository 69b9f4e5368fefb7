/**
 * The one place that lists the kinds of conference server main knows. Adding a provider:
 * its folder under call/providers/ (main half with its facets, window half with its client)
 * plus one line here and one in call/window/provider-clients.ts.
 */
import { UserFacingError } from '../../main/core/errors';
import type { ProviderKind } from '../common/call-model';
import { janusFacets } from '../providers/janus/main/janus-facets';
import { pexipFacets } from '../providers/pexip/main/pexip-facets';
import type { ProviderFacets } from './provider-facets';

const registry: { readonly [K in ProviderKind]: ProviderFacets & { kind: K } } = {
  pexip: pexipFacets as ProviderFacets & { kind: 'pexip' },
  janus: janusFacets as ProviderFacets & { kind: 'janus' },
};

/** The facets of a kind of server; an unknown kind is refused with `no-conference-server`. */
export function facetsFor(kind: string): ProviderFacets {
  const facets = Object.hasOwn(registry, kind) ? registry[kind as ProviderKind] : undefined;
  if (!facets) throw new UserFacingError('no-conference-server', { provider: kind.slice(0, 40) });
  return facets;
}

/** The kinds registered, in a stable order. */
export function providerKinds(): ProviderKind[] {
  return Object.keys(registry).sort() as ProviderKind[];
}
