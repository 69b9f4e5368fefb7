// One meeting as the sandbox keeps it (its own fields, not the API's JSON; see meetingJson).
import type { ProvisionStatus } from './schema';

export interface MeetingRecord {
  uuid: string;
  shortId: string;
  subject: string;
  description: string;
  start: Date;
  end: Date;
  organizerEmail: string;
  labels: string[];
  created: Date;
  updated: Date;
  hostPin: number;
  guestPin: number;
  vmrAvailableBefore: number;
  maxParticipants: number;
  endMeetingOnEndTime: boolean;
  /** Unguessable room id; Janus's exists/listparticipants need no PIN. */
  vmrId: string;
  platform: 'janus' | 'pexip' | null;
  provisionStatus: ProvisionStatus;
  provisionStatusDescription?: string;
  provisionTimestamp?: Date;
  statusPinned: boolean;
  /**
   * Booked through POST /v2/meetings: its room is provisioned when its validity window opens
   * (inferred: the spec lets a meeting be deleted only while it AWAITS_PROVISION, so VDX cannot
   * provision every booking at once), not eagerly as the seeded meetings' rooms are.
   */
  lazyRoom?: boolean;
}
