/**
 * What a window may send to main's log (the `log.write` channel): shared by the contract,
 * main's window log and the renderer's logger, without zod so the renderer's logger stays
 * small. Main still validates every line against the contract's schema.
 */

/** From least to most severe, as main's logger orders them. */
export const WINDOW_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type WindowLogLevel = (typeof WINDOW_LOG_LEVELS)[number];

/** A longer message is cut by the renderer's logger and refused by main: one line, not a dump. */
export const MAX_WINDOW_LOG_CHARS = 2000;

/** Which part of the window wrote the line ("window", "call", "webrtc"): a short tag, never free text. */
export const WINDOW_LOG_SOURCE = /^[a-z][a-z0-9-]{0,23}$/;
