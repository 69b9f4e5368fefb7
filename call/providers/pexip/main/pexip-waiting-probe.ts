/**
 * Who waits in one Pexip meeting's VMR, read through IT's read-only Management API account
 * (pexip-management.ts). A host token (request_token with the host PIN) would start the
 * conference and let the waiting guests in, so the Client API is not used for this.
 *
 * The meeting's VMR is resolved once from its alias and kept while the meeting is open; each
 * round then picks the VMR's participants out of the node's one status list. Guests waiting
 * are those in the service type `waiting_room` whose role is not a host's; their role for the
 * badge is the call tag the patient portal joins with (the console's invitation links set it),
 * `other` when there is none.
 *
 * A meeting whose alias no VMR has, or whose participants the status lists (by the alias they
 * dialled, `destination_alias`) under a conference other than the VMR's name, is noted once for
 * Diagnostics: the badge would otherwise stay dark without a word.
 */
import { GuestRole } from '../../../common/call-model';
import type { WaitingEntry, WaitingProbe, WaitingProblem } from '../../../main/waiting-probes';
import { statusTime, type ManagementClient } from './pexip-management';

/** Roles the Management API gives a host (its docs say `host`, its answers `chair`). */
const HOST_ROLES = new Set(['chair', 'host']);

export function pexipWaitingProbe(opts: {
  client: ManagementClient;
  /** The meeting's room alias (its VDX uriWithDomain). */
  alias: string;
  round: () => number;
  clock: () => number;
  note: (alias: string, problem: WaitingProblem) => void;
}): WaitingProbe {
  let vmr: string | null = null;
  let missAt = -Infinity;
  let resolvedAt = -Infinity;
  const at = opts.alias.indexOf('@');
  const aliases = new Set([opts.alias, ...(at > 0 ? [opts.alias.slice(0, at)] : [])].map((a) => a.toLowerCase()));

  async function resolve(): Promise<string | null> {
    if (vmr !== null) return vmr;
    if (opts.clock() - missAt < opts.client.missRetryMs) return null;
    const found = await opts.client.vmrName(opts.alias);
    if (found === 'none') {
      missAt = opts.clock();
      opts.note(opts.alias, 'no-vmr');
      return null;
    }
    vmr = found?.name ?? null;
    if (vmr !== null) resolvedAt = opts.clock();
    return vmr;
  }

  return {
    async poll(): Promise<WaitingEntry[] | null> {
      const name = await resolve();
      if (name === null) return null;
      const everyone = await opts.client.participants(opts.round());
      if (everyone === null) return null;
      const here = everyone.filter((p) => p.conference === name);
      // Someone dialled this meeting's alias, yet nobody is in its VMR by name: the match is off
      // (IT renamed the VMR, say). Said once; the VMR is resolved again, at most every few minutes.
      if (here.length === 0 && everyone.some((p) => aliases.has(p.destination_alias?.toLowerCase() ?? ''))) {
        opts.note(opts.alias, 'no-matches');
        if (opts.clock() - resolvedAt >= opts.client.missRetryMs) vmr = null;
      }
      return here
        .filter((p) => p.service_type === 'waiting_room' && !HOST_ROLES.has(p.role))
        .map((p) => {
          const role = GuestRole.safeParse(p.call_tag);
          // Since when: the participant's connect_time (a guest waiting connected to the waiting room then).
          return { role: role.success ? role.data : 'other', since: statusTime(p.connect_time) };
        });
    },
    close: async () => undefined,
  };
}
