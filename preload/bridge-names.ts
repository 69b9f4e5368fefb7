/**
 * The names that may cross the bridge, without their schemas: what the preload and the
 * browser host's bridge check before passing anything on. Kept apart from contract.ts so
 * those two stay small (no zod: parsing it cost the browser host ~400 ms before first
 * paint); main validates every payload with the full contract anyway. The type checks at
 * the bottom keep these lists equal to the contract's.
 */
import type { Channel, EventName } from './contract';

export const BRIDGE_GLOBAL = 'clinician';
export const IPC_INVOKE = 'cc:invoke';
export const IPC_EVENT_PREFIX = 'cc:event:';

export const CHANNEL_NAMES = [
  'app.info',
  'app.diagnostics',
  'app.checkServers',
  'app.saveLogs',
  'log.write',
  'auth.state',
  'auth.signIn',
  'auth.signOut',
  'auth.cancelSignIn',
  'workstation.state',
  'schedule.day',
  'schedule.refresh',
  'schedule.watch',
  'schedule.dismissNotice',
  'booking.options',
  'booking.book',
  'booking.move',
  'booking.cancel',
  'booking.dismiss',
  'booking.settled',
  'booking.sendNow',
  'waiting.late',
  'call.open',
  'call.ticket',
  'call.prepare',
  'call.joined',
  'call.sessionToken',
  'call.leave',
  'call.admit',
  'call.deny',
  'call.mute',
  'call.kick',
  'call.lock',
  'call.muteGuests',
  'call.dial',
  'call.end',
  'call.invite',
  'call.inviteByEmail',
  'call.inviteBySms',
  'call.late',
  'call.endAfterClose',
  'call.keepOpen',
  'call.devices',
  'call.setDevices',
  'call.shareSources',
  'call.shareChoose',
  'call.check',
  'call.miniView',
  'call.expand',
  'call.afterCall',
  'call.next',
  'call.close',
  'call.inviteBookedByEmail',
  'call.inviteBookedBySms',
] as const satisfies readonly Channel[];

export const EVENT_NAMES = [
  'auth.changed',
  'workstation.changed',
  'schedule.changed',
  'window.focus',
  'deeplink.opened',
  'call.lobby',
  'call.roster',
  'call.askEnd',
  'call.restart',
  'waiting.changed',
] as const satisfies readonly EventName[];

const channelSet: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && channelSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}

// Every channel and event of the contract is listed (a missing one fails the type check).
type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : ['missing from the list', Exclude<All, Listed>];
export const channelNamesComplete: Complete<Channel, (typeof CHANNEL_NAMES)[number]> = true;
export const eventNamesComplete: Complete<EventName, (typeof EVENT_NAMES)[number]> = true;
