/**
 * The guest invitation "Add participant" produces: a join link that carries the room, the
 * guest's name and role, and the guest PIN sent alongside (never in the link, so a
 * forwarded link alone does not let anybody in).
 *
 * The link's base is a setting (`invitationBaseUrl`): a hospital's patient portal, or in the
 * sandbox the test guest page. Without it, the meeting's own portalLink from VDX is used.
 */
import type { Role } from '../../common/display-name';

export type GuestRole = Exclude<Role, 'host'>;

export interface InvitationInput {
  role: GuestRole;
  name: string;
  /** For interpreters: the language they interpret (free text, e.g. "Arabic"). */
  language?: string;
}

export interface Invitation {
  link: string;
  pin: string;
  /** The message to copy or send (e-mail body, SMS text). */
  text: string;
  mailto: string;
}

export function buildInvitation(
  input: InvitationInput,
  meeting: { subject: string; room: string; guestPin: string; serverUrl: string; portalLink?: string | undefined },
  opts: { baseUrl: string },
): Invitation {
  const name = input.language ? `${input.name.trim()} (${input.language.trim()})` : input.name.trim();
  let link: string;
  if (opts.baseUrl) {
    const url = new URL(opts.baseUrl);
    url.searchParams.set('server', meeting.serverUrl);
    url.searchParams.set('room', meeting.room);
    url.searchParams.set('name', name);
    url.searchParams.set('role', input.role);
    url.searchParams.set('lobby', '1');
    link = url.toString();
  } else {
    link = meeting.portalLink ?? '';
  }
  const text = [
    `You are invited to a video appointment as ${input.role}.`,
    `Join here: ${link}`,
    `Meeting PIN: ${meeting.guestPin}`,
  ].join('\n');
  const mailto = `mailto:?subject=${encodeURIComponent('Video appointment invitation')}&body=${encodeURIComponent(text)}`;
  return { link, pin: meeting.guestPin, text, mailto };
}
