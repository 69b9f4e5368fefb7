/** The invitation "Add participant" produces, written in main: what the link carries and what it must not. */
import { describe, expect, test } from 'vitest';
import { buildInvitation, invitationMailto, type GuestRoomRef } from '../../../../call/main/invitation';

const janus: GuestRoomRef = { provider: 'janus', serverUrl: 'wss://video.example.org/janus', guardUrl: 'https://guard.example.org', room: 'a1b2c3d4e5f6a1b2c3d4e5f6' };
const pexip: GuestRoomRef = { provider: 'pexip', nodeUrl: 'https://pexip.example.org', alias: 'a1b2c3@vdx.example.org' };
const meeting = { guestPin: '48291375', portalLink: 'https://portal.example.org/?url=x@vdx.example.org&pin=48291375&start_dato=2026-12-01T10:00:00' };
const base = { baseUrl: 'https://guest.example.org/join' };

describe('buildInvitation', () => {
  test('a Janus link names the server, the guard, the room and the role: never the PIN, never the name', () => {
    const inv = buildInvitation({ role: 'interpreter', name: ' Ina Example ', language: 'Arabic', lang: 'en' }, janus, meeting, base);
    const url = new URL(inv.link);
    expect(url.origin + url.pathname).toBe('https://guest.example.org/join');
    expect(Object.fromEntries(url.searchParams)).toEqual({ provider: 'janus', server: janus.serverUrl, guard: janus.guardUrl, room: janus.room, role: 'interpreter' });
    expect(inv.link).not.toContain(meeting.guestPin);
    expect(inv.link).not.toContain('Ina');
    expect(inv.pin).toBe('48291375');
    expect(inv.text).toContain(inv.link);
    expect(inv.text).toContain('Meeting PIN: 48291375');
    expect(inv.text).toContain('Hello Ina Example');
    expect(inv.text).toContain('interpreter, Arabic');
  });

  test('a Pexip link names the node and the alias', () => {
    const inv = buildInvitation({ role: 'relative', name: 'Rel Example', lang: 'en' }, pexip, meeting, base);
    expect(Object.fromEntries(new URL(inv.link).searchParams)).toEqual({ provider: 'pexip', node: pexip.nodeUrl, alias: pexip.alias, role: 'relative' });
  });

  test.each([
    ['fi', 'Kokouksen PIN-koodi: 48291375', 'tulkki'],
    ['sv', 'Mötets PIN-kod: 48291375', 'tolk'],
    ['da', 'Mødets pinkode: 48291375', 'tolk'],
  ] as const)('is written in the window\'s language (%s)', (lang, pinLine, interpreter) => {
    const inv = buildInvitation({ role: 'interpreter', name: 'Ina Example', lang }, janus, meeting, base);
    expect(inv.text).toContain(pinLine);
    expect(inv.text).toContain(interpreter);
  });

  test("without a base URL the meeting's portal link is used, with its pin parameter taken out", () => {
    const inv = buildInvitation({ role: 'specialist', name: 'Spec Example', lang: 'en' }, janus, meeting, { baseUrl: '' });
    expect(inv.link).toBe('https://portal.example.org/?url=x%40vdx.example.org&start_dato=2026-12-01T10%3A00%3A00');
    expect(inv.link).not.toContain(meeting.guestPin);
  });

  test('the e-mail is a mailto to the address with the subject and the text as body, nothing else', () => {
    const inv = buildInvitation({ role: 'relative', name: 'Rel Example', lang: 'en' }, janus, meeting, base);
    const mailto = invitationMailto('rel.example@example.org', inv, 'en');
    const url = new URL(mailto);
    expect(url.protocol).toBe('mailto:');
    expect(url.pathname).toBe('rel.example@example.org');
    expect([...url.searchParams.keys()]).toEqual(['subject', 'body']);
    expect(url.searchParams.get('body')).toBe(inv.text);
    // An address cannot smuggle other headers in.
    expect(new URL(invitationMailto('a@example.org?bcc=x@evil.example', inv, 'en')).searchParams.get('bcc')).toBeNull();
  });
});
