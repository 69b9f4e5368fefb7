/**
 * A participant as the double keeps it, and the JSON Pexip sends for it: the object of
 * `GET …/participants` (checked by @pexip/infinity-api's validateParticipants200) and of the
 * participant_create / participant_update events, always complete (Pexip sends the full
 * object on update, never a diff).
 */

export type ParticipantRole = 'chair' | 'guest';
export type ServiceType = 'connecting' | 'waiting_room' | 'conference';
export type Protocol = 'api' | 'webrtc' | 'sip' | 'h323' | 'mssip' | 'rtmp';

export interface ParticipantRecord {
  uuid: string;
  displayName: string;
  role: ParticipantRole;
  serviceType: ServiceType;
  /** `api` until a WebRTC client's call is up (then `webrtc`); dial-outs keep the dial's protocol. */
  protocol: Protocol;
  callDirection: 'in' | 'out';
  uri: string;
  callTag: string;
  /** The alias the participant reached the room with. */
  localAlias: string;
  isMuted: boolean;
  isClientMuted: boolean;
  isVideoMuted: boolean;
  isPresenting: boolean;
  hasMedia: boolean;
  /**
   * What the call carries: `api` for a client with a token and no call (a control-only or
   * not yet started WebRTC client), `audio` or `video` from its offer (dial-outs: `video`,
   * the double's test endpoint sends both).
   */
  callType: 'api' | 'audio' | 'video';
  /** Unix seconds; 0 = off. */
  spotlight: number;
  buzzTime: number;
  startTime: number;
  vendor: string;
}

export function participantJson(p: ParticipantRecord): Record<string, unknown> {
  const yn = (b: boolean) => (b ? 'YES' : 'NO');
  return {
    uuid: p.uuid,
    display_name: p.displayName,
    overlay_text: p.displayName,
    role: p.role,
    service_type: p.serviceType,
    protocol: p.protocol,
    call_direction: p.callDirection,
    call_tag: p.callTag,
    uri: p.uri,
    vendor: p.vendor,
    local_alias: p.localAlias,
    // is_muted is a YES/NO string, is_video_muted a boolean: that is how Pexip sends them.
    is_muted: yn(p.isMuted),
    is_client_muted: p.isClientMuted,
    is_video_muted: p.isVideoMuted,
    is_presenting: yn(p.isPresenting),
    is_audio_only_call: yn(p.callType === 'audio'),
    is_video_call: yn(p.callType === 'video'),
    has_media: p.hasMedia,
    spotlight: p.spotlight,
    buzz_time: p.buzzTime,
    start_time: p.startTime,
    disconnect_supported: 'YES',
    mute_supported: 'YES',
    // Transfer and far-end camera control are not implemented by the double.
    transfer_supported: 'NO',
    fecc_supported: 'NO',
    presentation_supported: 'YES',
    rx_presentation_policy: 'ALLOW',
    encryption: 'On',
    is_external: false,
    external_node_uuid: '',
    is_streaming_conference: false,
    is_video_silent: false,
    supports_direct_chat: false,
    can_receive_personal_mix: false,
    receive_from_video_mix: { mix_name: 'main', timestamp: 0 },
  };
}
