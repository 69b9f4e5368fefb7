/**
 * The guest invitation "Add participant" produces, written here in main: the renderer says
 * the role, the name and where to send it; main writes the link and the text, builds the
 * mailto: (subject and body only) and sends text messages. Nothing of it is logged.
 *
 * The link names the room and the role, never the PIN (it is sent alongside, so a forwarded
 * link alone lets nobody in) and never the guest's name (links end up in browser histories
 * and proxy logs). Its base is a setting (`invitationBaseUrl`: a patient portal, or in the
 * sandbox its guest page); without one, the meeting's VDX portalLink, with its `pin`
 * parameter taken out.
 */
import type { GuestRole } from '../common/call-model';
import type { GuestRoomRef } from './provider-facets';
import { facetsFor } from './provider-registry';

export interface InvitationInput {
  role: GuestRole;
  /** The person's name, for the greeting of the text only. */
  name: string;
  /** For interpreters: the language they interpret. */
  language?: string;
  /** The language to write the text in (the call window's). */
  lang: InvitationLanguage;
}

export type InvitationLanguage = 'en' | 'fi' | 'sv' | 'da';

export type { GuestRoomRef };

export interface Invitation {
  link: string;
  pin: string;
  /** The message to copy or send (e-mail body, SMS text). */
  text: string;
}

type Catalog = {
  subject: string;
  role: Record<GuestRole, string>;
  body: (v: { name: string; role: string; link: string; pin: string }) => string;
};

const catalogs: Record<InvitationLanguage, Catalog> = {
  en: {
    subject: 'Video appointment invitation',
    role: { patient: 'patient', interpreter: 'interpreter', specialist: 'specialist', relative: 'relative', other: 'guest' },
    body: ({ name, role, link, pin }) =>
      `Hello ${name},\nyou are invited to a video appointment as ${role}.\nJoin here: ${link}\nMeeting PIN: ${pin}\nThe PIN is for you only: please do not pass it on.`,
  },
  fi: {
    subject: 'Kutsu videovastaanotolle',
    role: { patient: 'potilas', interpreter: 'tulkki', specialist: 'erikoislääkäri', relative: 'omainen', other: 'vieras' },
    body: ({ name, role, link, pin }) =>
      `Hei ${name},\nsinut on kutsuttu videovastaanotolle (${role}).\nLiity tästä: ${link}\nKokouksen PIN-koodi: ${pin}\nPIN-koodi on vain sinulle: älä anna sitä eteenpäin.`,
  },
  sv: {
    subject: 'Inbjudan till videobesök',
    role: { patient: 'patient', interpreter: 'tolk', specialist: 'specialist', relative: 'anhörig', other: 'gäst' },
    body: ({ name, role, link, pin }) =>
      `Hej ${name},\ndu är inbjuden till ett videobesök (${role}).\nAnslut här: ${link}\nMötets PIN-kod: ${pin}\nPIN-koden är bara till dig: lämna inte vidare den.`,
  },
  da: {
    subject: 'Invitation til videokonsultation',
    role: { patient: 'patient', interpreter: 'tolk', specialist: 'speciallæge', relative: 'pårørende', other: 'gæst' },
    body: ({ name, role, link, pin }) =>
      `Hej ${name},\ndu er inviteret til en videokonsultation (${role}).\nDeltag her: ${link}\nMødets pinkode: ${pin}\nPinkoden er kun til dig: giv den ikke videre.`,
  },
};

export function invitationLink(room: GuestRoomRef, role: GuestRole, opts: { baseUrl: string; portalLink?: string | undefined }): string {
  if (!opts.baseUrl) return withoutPin(opts.portalLink ?? '');
  const url = new URL(opts.baseUrl);
  url.searchParams.set('provider', room.provider);
  for (const [key, value] of Object.entries(facetsFor(room.provider).guestLinkParams(room))) url.searchParams.set(key, value);
  url.searchParams.set('role', role);
  return url.toString();
}

export function buildInvitation(input: InvitationInput, room: GuestRoomRef, meeting: { guestPin: string; portalLink?: string | undefined }, opts: { baseUrl: string }): Invitation {
  const link = invitationLink(room, input.role, { baseUrl: opts.baseUrl, portalLink: meeting.portalLink });
  const catalog = catalogs[input.lang];
  const role = input.role === 'interpreter' && input.language?.trim() ? `${catalog.role.interpreter}, ${input.language.trim()}` : catalog.role[input.role];
  const text = catalog.body({ name: input.name.trim(), role, link, pin: meeting.guestPin });
  return { link, pin: meeting.guestPin, text };
}

/** A mailto: with the subject and the body only (no other header a mail program would honour). */
export function invitationMailto(to: string, invitation: Invitation, lang: InvitationLanguage): string {
  const query = `subject=${encodeURIComponent(catalogs[lang].subject)}&body=${encodeURIComponent(invitation.text)}`;
  return `mailto:${encodeURIComponent(to).replace(/%40/g, '@')}?${query}`;
}

function withoutPin(link: string): string {
  if (!link) return '';
  try {
    const url = new URL(link);
    for (const key of [...url.searchParams.keys()]) if (key.toLowerCase() === 'pin') url.searchParams.delete(key);
    return url.toString();
  } catch {
    return '';
  }
}
