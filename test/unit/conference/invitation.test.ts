/** The invitation "Add participant" produces: what the link carries and what it must not. */
import { describe, expect, test } from 'vitest';
import { buildInvitation } from '../../../main/conference/invitation';

const meeting = {
  subject: 'Follow-up',
  room: 'a1b2c3d4e5f6',
  guestPin: '482913',
  serverUrl: 'wss://video.example.org/janus',
  portalLink: 'https://portal.example.org/?url=x&pin=482913',
};

describe('buildInvitation', () => {
  test('a link on the configured base carries server, room, name, role and the lobby flag, never the PIN', () => {
    const inv = buildInvitation({ role: 'interpreter', name: ' Ina Example ', language: 'Arabic' }, meeting, {
      baseUrl: 'https://guest.example.org/join',
    });
    const url = new URL(inv.link);
    expect(url.origin + url.pathname).toBe('https://guest.example.org/join');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      server: meeting.serverUrl,
      room: meeting.room,
      name: 'Ina Example (Arabic)',
      role: 'interpreter',
      lobby: '1',
    });
    expect(inv.link).not.toContain(meeting.guestPin);
    expect(inv.pin).toBe('482913');
    expect(inv.text).toContain(inv.link);
    expect(inv.text).toContain('Meeting PIN: 482913');
  });

  test('the e-mail is a mailto with the whole text as its body', () => {
    const inv = buildInvitation({ role: 'relative', name: 'Rel Example' }, meeting, { baseUrl: 'https://guest.example.org/' });
    expect(inv.mailto.startsWith('mailto:?subject=')).toBe(true);
    expect(decodeURIComponent(inv.mailto.split('&body=')[1]!)).toBe(inv.text);
  });

  test("without a base URL the meeting's portal link is used", () => {
    const inv = buildInvitation({ role: 'specialist', name: 'Spec Example' }, meeting, { baseUrl: '' });
    expect(inv.link).toBe(meeting.portalLink);
  });
});
