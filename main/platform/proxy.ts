/**
 * The proxy the console's sessions use, from settings: the system's by default (what
 * hospital workstations are set up with), a fixed one when IT's policy says so, or none.
 * Plain TypeScript: returns Electron's ProxyConfig shape.
 */
import type { ProxyConfig } from 'electron';
import type { Settings } from '../settings/settings';

export function proxyConfigFor(settings: Pick<Settings, 'proxyMode' | 'proxyRules' | 'proxyBypassRules'>): ProxyConfig {
  switch (settings.proxyMode) {
    case 'direct':
      return { mode: 'direct' };
    case 'fixed':
      if (!settings.proxyRules) throw new Error('proxyMode "fixed" needs proxyRules.');
      return { mode: 'fixed_servers', proxyRules: settings.proxyRules, proxyBypassRules: settings.proxyBypassRules || '<local>' };
    default:
      return { mode: 'system' };
  }
}
