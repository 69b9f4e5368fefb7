/**
 * The Management API's configuration of VMRs, read-only, as far as the console reads it:
 * `conference_alias` (which VMR has an alias) and `conference/<id>/` (the VMR, whose `name`
 * is what the status API calls `conference`).
 *
 * Shapes from Pexip's Go SDK (github.com/pexip/go-infinity-sdk, config/conference_alias_model.go
 * and config/conference_model.go): an alias object is `{id, alias, conference, description,
 * creation_time, resource_uri}` where `conference` is the VMR's resource URI
 * (`/api/admin/configuration/v1/conference/<id>/`); lists are Tastypie's `{meta, objects}`.
 * [inferred]:
 * - the `alias` query parameter filters by exact alias (Tastypie `exact`, case-sensitive), as
 *   docs.pexip.com's examples filter other resources by field; other filters are not served
 *   and an unknown one is ignored here (a real node may answer 400);
 * - the VMR object carries its PINs, as the configuration API does for any account that may
 *   read VMRs: whoever reads it (the console) must drop them;
 * - a read-only account may GET these and nothing else (405 for other methods here).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Conference } from './conference';
import { send, tastypieList } from './routes-status';

export const ALIAS_PREFIX = '/api/admin/configuration/v1/conference_alias/';
export const CONFERENCE_PREFIX = '/api/admin/configuration/v1/conference/';

const CREATED = '2031-01-01T00:00:00.000000';

export interface ConfigurationDeps {
  conferences: () => Conference[];
  aliasesOf: (conference: Conference) => string[];
}

/** Alias objects get ids of their own: VMR id × 100 + the alias's place (stable for a run). */
function aliasObjects(deps: ConfigurationDeps, c: Conference) {
  return deps.aliasesOf(c).map((alias, i) => ({
    alias,
    conference: `${CONFERENCE_PREFIX}${c.id}/`,
    creation_time: CREATED,
    description: '',
    id: c.id * 100 + i,
    resource_uri: `${ALIAS_PREFIX}${c.id * 100 + i}/`,
  }));
}

function conferenceObject(deps: ConfigurationDeps, c: Conference) {
  return {
    aliases: aliasObjects(deps, c),
    allow_guests: true,
    creation_time: CREATED,
    description: '',
    guest_pin: c.room.guestPin,
    id: c.id,
    name: c.name,
    pin: c.room.hostPin,
    resource_uri: `${CONFERENCE_PREFIX}${c.id}/`,
    service_type: 'conference',
    tag: '',
  };
}

export function configurationRoute(req: IncomingMessage, res: ServerResponse, url: URL, deps: ConfigurationDeps): void {
  if (req.method !== 'GET') return send(res, 405, undefined, { allow: 'GET' });
  if (url.pathname.startsWith(ALIAS_PREFIX)) {
    const all = deps.conferences().flatMap((c) => aliasObjects(deps, c));
    const id = url.pathname.slice(ALIAS_PREFIX.length).replace(/\/$/, '');
    if (id) {
      const one = all.find((a) => String(a.id) === id);
      return one ? send(res, 200, one) : send(res, 404);
    }
    const alias = url.searchParams.get('alias');
    return send(res, 200, tastypieList(url, ALIAS_PREFIX, alias === null ? all : all.filter((a) => a.alias === alias)));
  }
  const id = url.pathname.slice(CONFERENCE_PREFIX.length).replace(/\/$/, '');
  const all = deps.conferences();
  if (id) {
    const one = all.find((c) => String(c.id) === id);
    return one ? send(res, 200, conferenceObject(deps, one)) : send(res, 404);
  }
  const name = url.searchParams.get('name');
  send(res, 200, tastypieList(url, CONFERENCE_PREFIX, (name === null ? all : all.filter((c) => c.name === name)).map((c) => conferenceObject(deps, c))));
}
