/**
 * Inviting the patient to a meeting the user organised (the day view's Invite, the call
 * window's end screen): main writes the text and the link (no PIN in the link) and sends the
 * SMS or opens the mail program; this only asks, in the console's language.
 */
import { call } from '../lib/backend';

export type InviteVia = 'sms' | 'email';

export async function sendInvitation(meetingId: string, via: InviteVia, guest: { name: string; to: string }, locale: string): Promise<void> {
  const request = { meetingId, role: 'patient' as const, name: guest.name.trim(), lang: locale.slice(0, 2) as 'en' | 'fi' | 'sv' | 'da', to: guest.to.trim() };
  if (via === 'sms') await call('call.inviteBookedBySms', request);
  else await call('call.inviteBookedByEmail', request);
}
