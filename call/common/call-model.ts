/**
 * The call model both sides speak: main's call session and the call window. Which
 * conference server a meeting is on (Pexip Infinity or Janus) shows only in JoinInfo, which
 * the window hands to the matching client; everything else is the same for both.
 */
import { z } from 'zod';

export const ROLES = ['host', 'patient', 'interpreter', 'specialist', 'relative', 'other'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const GuestRole = Role.exclude(['host']);
export type GuestRole = z.infer<typeof GuestRole>;

export function isRole(value: unknown): value is Role {
  return Role.safeParse(value).success;
}

export const ProviderKind = z.enum(['janus', 'pexip']);
export type ProviderKind = z.infer<typeof ProviderKind>;

/**
 * What the call window needs to join, as main prepared it. Never a host PIN: for Janus a
 * single-use token for one feed id (the room guard checked the host PIN), for Pexip the
 * answer main got to request_token with the host PIN (the session token and its details).
 */
export const JoinInfo = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('janus'),
    serverUrl: z.url({ protocol: /^wss?$/ }),
    room: z.string().min(1).max(64),
    feedId: z.string().min(1).max(64),
    token: z.string().min(16).max(128),
  }),
  z.object({
    provider: z.literal('pexip'),
    nodeUrl: z.url({ protocol: /^https?$/ }),
    alias: z.string().min(1).max(200),
    /** The body of request_token's 200 answer, for @pexip/infinity to carry on with. */
    tokenResponse: z.record(z.string(), z.unknown()),
  }),
]);
export type JoinInfo = z.infer<typeof JoinInfo>;

/** What the conference server lets the host do beyond admit, mute, remove and end. */
export const CallCapabilities = z.object({
  /** Call an interpreter, a specialist or a relative directly (SIP, H.323, phone). */
  dialOut: z.boolean(),
  /** Lock the meeting: newcomers wait until admitted. */
  lock: z.boolean(),
  muteGuests: z.boolean(),
});
export type CallCapabilities = z.infer<typeof CallCapabilities>;

export const CallTicket = z.object({
  meetingId: z.uuid(),
  subject: z.string(),
  provider: ProviderKind,
  displayName: z.string(),
  capabilities: CallCapabilities,
});
export type CallTicket = z.infer<typeof CallTicket>;

/** A participant id: a Janus feed or lobby id, or a Pexip participant uuid. */
export const ParticipantId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a participant id');

/**
 * Someone waiting in the lobby for the host to let them in; `since`: when they started
 * waiting, by the server (Janus: the guard's knock; Pexip: the participant's start_time).
 */
export const WaitingGuest = z.object({ id: ParticipantId, displayName: z.string(), role: GuestRole, since: z.iso.datetime({ offset: true }).optional() });
export type WaitingGuest = z.infer<typeof WaitingGuest>;

/** What main knows of a participant: the role (never taken from what they typed) and the host's mutes. */
export const RosterEntry = z.object({
  id: ParticipantId,
  role: Role,
  muted: z.object({ audio: z.boolean(), video: z.boolean() }),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

export const DialProtocol = z.enum(['sip', 'h323', 'phone']);
export type DialProtocol = z.infer<typeof DialProtocol>;

/** A destination to dial: a SIP or H.323 address, or a phone number in international form. */
export const DialRequest = z
  .object({
    role: GuestRole,
    protocol: DialProtocol,
    destination: z.string().trim().min(3).max(200),
    name: z.string().trim().max(100).optional(),
  })
  .strict()
  .refine(
    (d) =>
      d.protocol === 'phone'
        ? /^\+[1-9][0-9 ]{6,18}$/.test(d.destination)
        : d.protocol === 'sip'
          ? /^(sip:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/.test(d.destination)
          : /^(h323:)?[A-Za-z0-9._%+@-]+$/.test(d.destination),
    { message: 'expected a SIP address, an H.323 address or a phone number like +45 12345678', path: ['destination'] },
  );
export type DialRequest = z.infer<typeof DialRequest>;
