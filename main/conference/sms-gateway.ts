/**
 * Sends an invitation through the SMS gateway hospital IT configures (`smsGatewayUrl`):
 * `POST <url>` with JSON `{to, text}`. Nothing about the message (number or text) is logged.
 */
import { UserFacingError } from '../core/errors';

export async function sendSms(gatewayUrl: string, message: { to: string; text: string }, timeoutMs: number): Promise<void> {
  if (!gatewayUrl) throw new UserFacingError('sms-not-configured');
  let res: Response;
  try {
    res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new UserFacingError('sms-failed');
  }
  if (!res.ok) throw new UserFacingError('sms-failed');
}
