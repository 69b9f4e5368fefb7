// Where the VDX sandbox provisions a meeting's virtual meeting room, as VDX's own
// provisioner does on the hospitals' conference platforms:
//   - Janus, through the room guard (janus-guard/): the guard creates the room with a random
//     secret and keeps the PINs, so the room's powers never rest on a PIN;
//   - Pexip Infinity (the test double in ../pexip): a VMR whose alias is the meeting's
//     uriWithDomain, with the host and guest PINs.
// A meeting's uriWithDomain names the platform by its domain, which is how the console
// picks the conference provider.

import { guardRoomsUrl, guardRoomUrl } from '../../../call/providers/janus/guard-api';

export interface RoomSpec {
  /** The room's id on the platform (VDX: provisionVmrId). */
  room: string;
  /** uriWithDomain: `<room>@<domain>`. */
  uri: string;
  hostPin: string;
  guestPin: string;
  publishers: number;
}

export interface RoomProvisioner {
  platform: 'janus' | 'pexip';
  /** The domain of uriWithDomain for meetings on this platform. */
  domain: string;
  /** Creates the room, or makes sure it is there (rooms vanish when Janus restarts). */
  ensure(spec: RoomSpec): Promise<void>;
  destroy(spec: RoomSpec): Promise<void>;
}

export function guardProvisioner(opts: { guardUrl: string; provisionKey: string; domain: string; timeoutMs?: number }): RoomProvisioner {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${opts.provisionKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    if (!res.ok) throw new Error(`the room guard answered HTTP ${res.status}`);
  };
  return {
    platform: 'janus',
    domain: opts.domain,
    ensure: (spec) => call('POST', guardRoomsUrl(opts.guardUrl), { room: spec.room, hostPin: spec.hostPin, guestPin: spec.guestPin, publishers: spec.publishers }),
    destroy: (spec) => call('DELETE', guardRoomUrl(opts.guardUrl, spec.room)),
  };
}

/** The part of the Pexip double's handle a provisioner needs. */
export interface PexipRooms {
  domain: string;
  addRoom(room: { alias: string; hostPin: string; guestPin: string }): void;
  removeRoom(alias: string): void;
  hasRoom(alias: string): boolean;
}

export function pexipProvisioner(pexip: PexipRooms): RoomProvisioner {
  return {
    platform: 'pexip',
    domain: pexip.domain,
    async ensure(spec) {
      if (!pexip.hasRoom(spec.uri)) pexip.addRoom({ alias: spec.uri, hostPin: spec.hostPin, guestPin: spec.guestPin });
    },
    async destroy(spec) {
      pexip.removeRoom(spec.uri);
    },
  };
}
