// The VDX Booking Module API v2 shapes the sandbox serves, as zod schemas transcribed from
// MedCom's OpenAPI spec (components.schemas: meeting, scheduling-info, meetingUser,
// provisionStatus, info, basicError, detailedError). Written into code on purpose: the
// tests must pass from a fresh clone without the spec file next to them.
//
// These are the test stack's own reading of the spec, independent of the app's schemas in
// main/booking, so the sandbox's conformance test does not just agree with itself.
import { z } from 'zod';

/**
 * v2 date-time as the API writes it: "yyyy-MM-dd'T'HH:mm:ssXXX" (Java pattern; XXX is `Z`
 * for UTC, else ±HH:MM). Inputs may carry a fraction, which the API ignores.
 */
export const VDX_DATE_TIME_OUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;
export const vdxDateTime = z.string().regex(VDX_DATE_TIME_OUT, 'yyyy-MM-ddTHH:mm:ssXXX');

const href = z.object({ href: z.url() });

export const meetingUserSchema = z.object({
  organisationId: z.string().max(30).optional(),
  email: z.email().max(45).optional(),
});

export const guestMicrophoneSchema = z.enum(['muted', 'off', 'on']);

export const provisionStatusSchema = z.enum([
  'AWAITS_PROVISION',
  'STARTING_TO_PROVISION',
  'PROVISION_PROBLEMS',
  'PROVISIONED_OK',
  'STARTING_TO_DEPROVISION',
  'DEPROVISION_PROBLEMS',
  'DEPROVISION_OK',
]);
export type ProvisionStatus = z.infer<typeof provisionStatusSchema>;

/** components.schemas: additionalInformationType, vmrType, vmrQuality, directMedia. */
const additionalInformationSchema = z.object({ key: z.string().max(100), value: z.string().max(100) });
const vmrTypeSchema = z.enum(['conference', 'lecture']);
const vmrQualitySchema = z.enum(['sd', 'hd', 'fullhd']);
const directMediaSchema = z.enum(['never', 'best_effort']);
/** The room's switches, as scheduling-info reports them and create-meeting may set them. */
const roomSwitches = {
  enableOverlayText: z.boolean().optional(),
  guestsCanPresent: z.boolean().optional(),
  forcePresenterIntoMain: z.boolean().optional(),
  forceEncryption: z.boolean().optional(),
  muteAllGuests: z.boolean().optional(),
};

export const meetingSchema = z.object({
  subject: z.string().max(100),
  uuid: z.uuid(),
  createdBy: meetingUserSchema,
  updatedBy: meetingUserSchema.optional(),
  organizedBy: meetingUserSchema,
  startTime: vdxDateTime,
  endTime: vdxDateTime,
  description: z.string().max(500).optional(),
  projectCode: z.string().max(100).optional(),
  createdTime: vdxDateTime.optional(),
  updatedTime: vdxDateTime.optional(),
  shortId: z.string().length(12),
  shortLink: z.string().optional(),
  shortlink: z.string().optional(),
  externalId: z.string().max(200).optional(),
  guestMicrophone: guestMicrophoneSchema.optional(),
  guestPinRequired: z.boolean().optional(),
  labels: z.array(z.string()).optional(),
  _links: z.object({ self: href.optional(), 'scheduling-info': href.optional() }),
  additionalInformation: z.array(additionalInformationSchema).optional(),
});
export type VdxMeetingJson = z.infer<typeof meetingSchema>;

export const schedulingInfoSchema = z.object({
  uuid: z.uuid(),
  hostPin: z.int32().optional(),
  guestPin: z.int32().optional(),
  vmrAvailableBefore: z.int32(),
  maxParticipants: z.int32(),
  endMeetingOnEndTime: z.boolean(),
  uriWithDomain: z.string().max(100),
  uriWithoutDomain: z.string().max(100).nullable(),
  provisionStatus: provisionStatusSchema,
  provisionStatusDescription: z.string().max(200).optional(),
  portalLink: z.string().max(200).optional(),
  ivrTheme: z.string().max(100).optional(),
  provisionTimestamp: vdxDateTime.optional(),
  provisionVmrId: z.string().max(50).optional(),
  vmrType: vmrTypeSchema.optional(),
  hostView: z.string().optional(),
  guestView: z.string().optional(),
  vmrQuality: vmrQualitySchema.optional(),
  ...roomSwitches,
  createdBy: meetingUserSchema.optional(),
  updatedBy: meetingUserSchema.optional(),
  createdTime: vdxDateTime.optional(),
  updatedTime: vdxDateTime.optional(),
  directMedia: directMediaSchema.optional(),
  shortLink: z.string().optional(),
  shortlink: z.string().optional(),
  _links: z.object({ self: href.optional() }).optional(),
});
export type VdxSchedulingInfoJson = z.infer<typeof schedulingInfoSchema>;

export const infoSchema = z.object({
  info: z.array(z.object({ key: z.string().max(100), value: z.unknown() })),
});
export type VdxInfoJson = z.infer<typeof infoSchema>;

export const basicErrorSchema = z.object({
  timestamp: z.string(),
  status: z.int(),
  error: z.string(),
  path: z.string(),
});

/**
 * detailed_error_code is `type: string` in the spec, with the codes listed as an enum, so
 * the sandbox sends e.g. "28" (a JSON string), as a server generated from that spec would.
 */
export const DETAILED_ERROR_CODES = [
  '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26',
  '27', '28', '29', '30', '31', '32', '33', '34', '35', '36',
] as const;
export type DetailedErrorCode = (typeof DETAILED_ERROR_CODES)[number];

export const detailedErrorSchema = basicErrorSchema.extend({
  detailed_error: z.string(),
  detailed_error_code: z.enum(DETAILED_ERROR_CODES),
});
export type VdxDetailedErrorJson = z.infer<typeof detailedErrorSchema>;

// ------------------------------------------------------------------ write requests

/** Input date-time: the output form, optionally with a fraction (the API ignores it). */
export const vdxDateTimeIn = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/, 'yyyy-MM-ddTHH:mm:ssXXX');

const viewTypeSchema = z.enum([
  'one_main_zero_pips',
  'one_main_seven_pips',
  'one_main_twentyone_pips',
  'two_mains_twentyone_pips',
  'four_mains_zero_pips',
  'five_mains_seven_pips',
  'one_main_thirtythree_pips',
  'nine_mains_zero_pips',
  'sixteen_mains_zero_pips',
  'twentyfive_mains_zero_pips',
]);

/** components.schemas.create-meeting (POST /v2/meetings). */
export const createMeetingSchema = z.object({
  subject: z.string().min(1).max(100),
  startTime: vdxDateTimeIn,
  endTime: vdxDateTimeIn,
  description: z.string().max(500).optional(),
  projectCode: z.string().max(100).optional(),
  organizedByEmail: z.string().optional(),
  maxParticipants: z.int().optional(),
  endMeetingOnEndTime: z.boolean().optional(),
  schedulingTemplateId: z.int().optional(),
  meetingType: z.enum(['NORMAL', 'POOL']).optional(),
  uuid: z.uuid().optional(),
  externalId: z.string().max(200).optional(),
  guestMicrophone: guestMicrophoneSchema.optional(),
  guestPinRequired: z.boolean().optional(),
  schedulingInfoReservationId: z.uuid().optional(),
  labels: z.array(z.string()).optional(),
  vmrType: vmrTypeSchema.optional(),
  hostView: viewTypeSchema.optional(),
  guestView: viewTypeSchema.optional(),
  vmrQuality: vmrQualitySchema.optional(),
  ...roomSwitches,
  uriWithoutDomain: z.string().max(100).optional(),
  guestPin: z.int().min(1000).max(999_999_999).optional(),
  hostPin: z.int().min(1000).max(999_999_999).optional(),
  additionalInformation: z.array(additionalInformationSchema).optional(),
  callType: z.string().optional(),
});
export type VdxCreateMeetingJson = z.infer<typeof createMeetingSchema>;

/** components.schemas.update-meeting (PUT /v2/meetings/{uuid}): the same fields as a create's, fewer of them. */
export const updateMeetingSchema = createMeetingSchema.pick({
  subject: true,
  startTime: true,
  endTime: true,
  description: true,
  projectCode: true,
  organizedByEmail: true,
  labels: true,
  additionalInformation: true,
});
export type VdxUpdateMeetingJson = z.infer<typeof updateMeetingSchema>;

/** components.schemas.scheduling-template (the required fields and the ones the sandbox sends). */
export const schedulingTemplateSchema = z.object({
  id: z.int(),
  organisationId: z.string().max(30),
  conferencingSysId: z.int(),
  uriPrefix: z.string().max(100),
  uriDomain: z.string().max(100),
  hostPinRequired: z.boolean(),
  hostPinRangeLow: z.int().optional(),
  hostPinRangeHigh: z.int().optional(),
  guestPinRequired: z.boolean(),
  guestPinRangeLow: z.int().optional(),
  guestPinRangeHigh: z.int().optional(),
  vMRAvailableBefore: z.int(),
  maxParticipants: z.int(),
  endMeetingOnEndTime: z.boolean(),
  uriNumberRangeLow: z.int(),
  uriNumberRangeHigh: z.int(),
  ivrTheme: z.string().max(100),
  isDefaultTemplate: z.boolean().optional(),
  isPoolTemplate: z.boolean(),
  directMedia: directMediaSchema,
  _links: z.object({ self: href.optional() }).optional(),
});
export type VdxSchedulingTemplateJson = z.infer<typeof schedulingTemplateSchema>;
