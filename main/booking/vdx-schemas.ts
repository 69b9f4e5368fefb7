/**
 * The subset of MedCom's VDX Booking Module API v2 the console reads, as zod schemas
 * written from the public OpenAPI spec. Unknown fields are tolerated (the API grows);
 * the fields we rely on are checked. The two records a day's sync reads by the thousand
 * (meeting, scheduling-info) drop unknown fields instead of copying them along: nothing
 * reads them, and a busy day's sync would copy tens of thousands of them.
 */
import { z } from 'zod';

/** v2 "yyyy-MM-dd'T'HH:mm:ssXXX" (fractions allowed and ignored). */
export const VdxDateTime = z.iso.datetime({ offset: true });

const Link = z.object({ href: z.string() });

export const VdxMeetingUser = z.object({ organisationId: z.string().optional(), email: z.string().optional() });

export const VdxMeeting = z
  .object({
    uuid: z.uuid(),
    subject: z.string().max(100),
    shortId: z.string().length(12),
    startTime: VdxDateTime,
    endTime: VdxDateTime,
    createdBy: VdxMeetingUser,
    organizedBy: VdxMeetingUser,
    description: z.string().optional(),
    /** The change marker where the server sends one (any type: only a string is used). */
    updatedTime: z.unknown().optional(),
    _links: z.object({ self: Link.optional(), 'scheduling-info': Link.optional() }),
  })
  .refine((m) => Date.parse(m.endTime) > Date.parse(m.startTime), {
    message: 'endTime must be after startTime',
    path: ['endTime'],
  });
export type VdxMeeting = z.infer<typeof VdxMeeting>;

export const ProvisionStatus = z.enum([
  'AWAITS_PROVISION',
  'STARTING_TO_PROVISION',
  'PROVISION_PROBLEMS',
  'PROVISIONED_OK',
  'STARTING_TO_DEPROVISION',
  'DEPROVISION_PROBLEMS',
  'DEPROVISION_OK',
]);

export const VdxSchedulingInfo = z
  .object({
    uuid: z.uuid(),
    hostPin: z.number().int().optional(),
    guestPin: z.number().int().optional(),
    vmrAvailableBefore: z.number().int().min(0),
    maxParticipants: z.number().int(),
    endMeetingOnEndTime: z.boolean(),
    uriWithDomain: z.string().max(100),
    uriWithoutDomain: z.string().max(100).nullable(),
    provisionStatus: ProvisionStatus,
    provisionVmrId: z.string().max(50).optional(),
    portalLink: z.string().max(200).optional(),
  });
export type VdxSchedulingInfo = z.infer<typeof VdxSchedulingInfo>;

/** basicError / detailedError: read only for logging the code, never shown raw. */
export const VdxError = z
  .object({ status: z.number().optional(), error: z.string().optional(), detailed_error_code: z.union([z.string(), z.number()]).optional() })
  .loose();

/** scheduling-template: the fields the booking dialog shows (a template has no name in v2). */
export const VdxSchedulingTemplate = z
  .object({
    id: z.number().int(),
    isDefaultTemplate: z.boolean().optional(),
    isPoolTemplate: z.boolean().optional(),
    maxParticipants: z.number().int(),
    vMRAvailableBefore: z.number().int().min(0),
  })
  .loose();
