/**
 * Waiting for the booking system's answer to a booking made here (the day view's "meet now",
 * the call window's end screen): main answers at once when it knows, else after at most
 * WAIT_MS with "waiting"; a screen that stays open asks again. Local calls only: the outbox
 * alone talks to the booking system, with its own back-off.
 */
import type { BookingSettled } from '../../../preload/contract';
import { call } from '../lib/backend';

/** One wait in main; about as long as a booking request may take. */
export const WAIT_MS = 20_000;

/**
 * Calls `onState` with each answer until the booking is booked or refused, or `signal` aborts
 * (the screen closed). Resolves with the last answer.
 */
export async function followBooking(meetingId: string, onState: (state: BookingSettled) => void, signal: AbortSignal): Promise<BookingSettled | null> {
  let last: BookingSettled | null = null;
  while (!signal.aborted) {
    last = await call('booking.settled', { meetingId, waitMs: WAIT_MS });
    if (signal.aborted) break;
    onState(last);
    if (last.state !== 'waiting') break;
  }
  return last;
}
