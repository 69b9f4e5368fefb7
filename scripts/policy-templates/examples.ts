/**
 * The example profile's values: every key, with the default where there is one and invented
 * placeholders (`.example` hosts, zero GUIDs) where IT must put its own. Typed as Settings and
 * parsed by the schema in the test, so the example never names a key or value the console
 * would refuse.
 */
import type { Settings } from '../../main/settings/settings';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export const EXAMPLE_SETTINGS: Settings = {
  authority: `https://login.microsoftonline.com/${ZERO_GUID}/`,
  protocolMode: 'AAD',
  knownAuthorities: ['login.microsoftonline.com'],
  clientId: ZERO_GUID,
  scopes: [`api://${ZERO_GUID}/meetings.read`],
  bookingApiUrl: 'https://vdx.region.example/api',
  conferenceServers: [
    { domain: 'vmr.region.example', provider: 'pexip', url: 'https://pexip-node.region.example' },
    { domain: 'video.hospital.example', provider: 'janus', url: 'wss://janus.hospital.example/', guardUrl: 'https://janus-guard.hospital.example' },
  ],
  wipeScheduleOnSignOut: true,
  requestTimeoutMs: 15_000,
  signInTimeoutSeconds: 240,
  externalAllowlist: [],
  allowBasicTextSecretStorage: false,
  updateChannel: 'off',
  updateFeedUrl: '',
  proxyMode: 'system',
  proxyRules: '',
  proxyBypassRules: '',
  logLevel: 'info',
  scheduleDaysBack: 14,
  scheduleDaysForward: 30,
  invitationBaseUrl: '',
  smsGatewayUrl: '',
  callMiniView: true,
  pexipLockOnHostJoin: true,
  pexipTestAlias: 'readiness-check@vmr.region.example',
  signOutWhenLocked: false,
  signOutAfterIdleMinutes: 0,
  pexipStatusApi: [{ domain: 'vmr.region.example', url: 'https://pexip-management.region.example', username: 'console-status', password: 'replace-me' }],
  janusTestRooms: [{ domain: 'video.region.example', room: 'readiness-check-room', hostPin: '000000' }],
  allowUserSettingsFile: false,
};
