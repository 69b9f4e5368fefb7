/**
 * Sends invitations through the SMS gateway hospital IT configures (`smsGatewayUrl`):
 * `POST <url>` with JSON `{to, text}`, the text written by main (invitation.ts). A console
 * sends at most `perHour` messages in any hour, so a stuck button or a compromised window
 * cannot turn the hospital's gateway into a spam cannon. Nothing about a message (number or
 * text) is logged.
 */
import { UserFacingError } from '../../main/core/errors';

export interface SmsSender {
  send(message: { to: string; text: string }): Promise<void>;
}

export function createSmsSender(opts: { gatewayUrl: string; timeoutMs: number; fetch?: typeof fetch; perHour?: number; now?: () => number }): SmsSender {
  const perHour = opts.perHour ?? 20;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  let sent: number[] = [];
  return {
    async send(message) {
      if (!opts.gatewayUrl) throw new UserFacingError('sms-not-configured');
      const t = now();
      sent = sent.filter((at) => t - at < 3600_000);
      if (sent.length >= perHour) throw new UserFacingError('sms-rate-limited', { perHour });
      sent.push(t);
      let res: Response;
      try {
        res = await doFetch(opts.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch {
        throw new UserFacingError('sms-failed');
      }
      if (!res.ok) throw new UserFacingError('sms-failed');
    },
  };
}
