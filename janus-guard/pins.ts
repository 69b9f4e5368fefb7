/**
 * PINs are kept only as salted scrypt hashes: a copy of the guard's state does not give
 * them away, and comparing takes the same time whatever the guess.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface PinHash {
  salt: string;
  hash: string;
}

const KEY_LENGTH = 32;

export function hashPin(pin: string): PinHash {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), hash: scryptSync(pin, salt, KEY_LENGTH).toString('base64') };
}

export function pinMatches(pin: string, stored: PinHash): boolean {
  const candidate = scryptSync(pin, Buffer.from(stored.salt, 'base64'), KEY_LENGTH);
  return timingSafeEqual(candidate, Buffer.from(stored.hash, 'base64'));
}
