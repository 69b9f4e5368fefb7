/**
 * What the console runs when its settings or IT's policy are invalid: nothing but a clear
 * error. Every request is refused with the message that names the bad key, and app.info
 * carries it so the window shows an error screen instead of a half-configured console.
 */
import { channels, type Channel } from '../../preload/contract';
import type { Handlers } from '../ipc/router';
import { UserFacingError } from './errors';
import type { Platform } from './ports';

export function configErrorHandlers(message: string, platform: Pick<Platform, 'host' | 'version' | 'locale'>): Handlers {
  const refuse = async () => {
    throw new UserFacingError('config-invalid');
  };
  const handlers = Object.fromEntries((Object.keys(channels) as Channel[]).map((c) => [c, refuse])) as unknown as Handlers;
  handlers['app.info'] = async () => ({ version: platform.version, host: platform.host, locale: platform.locale, configError: message });
  return handlers;
}
