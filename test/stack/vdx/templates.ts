// The sandbox organisation's scheduling templates (GET /v2/scheduling-templates). Invented
// values in the spec's shape. A VDX template has no name and no duration: a client shows it
// by what it sets (participants, when the room opens) and takes a visit's length elsewhere.
import type { VdxSchedulingTemplateJson } from './schema';

export function sandboxTemplates(organisationId: string, domain: string): VdxSchedulingTemplateJson[] {
  const common = {
    organisationId,
    conferencingSysId: 1,
    uriDomain: domain,
    hostPinRequired: true,
    hostPinRangeLow: 10_000_000,
    hostPinRangeHigh: 99_999_999,
    guestPinRequired: true,
    guestPinRangeLow: 10_000_000,
    guestPinRangeHigh: 99_999_999,
    endMeetingOnEndTime: true,
    uriNumberRangeLow: 100_000,
    uriNumberRangeHigh: 999_999,
    ivrTheme: '10',
    isPoolTemplate: false,
    directMedia: 'best_effort' as const,
  };
  return [
    { ...common, id: 1, uriPrefix: 'visit', vMRAvailableBefore: 15, maxParticipants: 6, isDefaultTemplate: true },
    { ...common, id: 2, uriPrefix: 'group', vMRAvailableBefore: 30, maxParticipants: 12, isDefaultTemplate: false },
  ];
}
