/**
 * The IPC router: the one place where a request from a renderer is checked and answered.
 * Plain TypeScript (no Electron), so the Electron registration and the browser host share
 * it and it runs under Node in tests.
 *
 * Order of checks: known channel -> window allowed -> payload size -> request schema ->
 * handler -> response schema. Every failure is an `{ ok: false, error }` with a clear
 * message; nothing thrown reaches the renderer and no payload content is logged.
 */
import { z } from 'zod';
import {
  channels,
  isChannel,
  type Channel,
  type ErrorInfo,
  type Request,
  type Response,
  type Result,
  type WindowKind,
} from '../../preload/contract';
import { UserFacingError } from '../core/errors';
import type { Logger } from '../log/logger';

export type Handlers = {
  [C in Channel]: (request: z.output<(typeof channels)[C]['request']>, sender: Sender) => Promise<Response<C>>;
};

/** Who is calling, as established by the transport (Electron's sender frame, or the host's session). */
export interface Sender {
  window: WindowKind;
}

/** Larger requests are refused before parsing: nothing in the contract comes near this. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface Router {
  handle(channel: unknown, request: unknown, sender: Sender): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers, log: Logger): Router {
  return {
    async handle(channelName, request, sender) {
      if (!isChannel(channelName)) {
        log.warn('ipc: unknown channel refused');
        return fail('unknown-channel', 'This request is not part of the console.');
      }
      const spec = channels[channelName];
      if (!spec.windows.includes(sender.window)) {
        log.warn(`ipc: ${channelName} refused from the ${sender.window} window`);
        return fail('forbidden', 'This window may not make that request.');
      }
      if (!fitsSize(request)) {
        log.warn(`ipc: oversized request on ${channelName} refused`);
        return fail('bad-request', 'The request is too large.');
      }
      const parsed = spec.request.safeParse(request ?? {});
      if (!parsed.success) {
        log.warn(`ipc: invalid request on ${channelName}: ${describeIssues(parsed.error)}`);
        return fail('bad-request', `Invalid request for ${channelName}: ${describeIssues(parsed.error)}`);
      }
      try {
        const handler = handlers[channelName] as (r: unknown, s: Sender) => Promise<unknown>;
        const value = await handler(parsed.data, sender);
        const checked = spec.response.safeParse(value);
        if (!checked.success) {
          log.error(`ipc: ${channelName} produced an invalid response: ${describeIssues(checked.error)}`);
          return fail('internal', 'The console could not complete the request.');
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof UserFacingError) {
          log.warn(`ipc: ${channelName} failed: ${error.code}`);
          return fail(error.code, error.message);
        }
        log.error(`ipc: ${channelName} failed unexpectedly`, error);
        return fail('internal', 'The console could not complete the request.');
      }
    },
  };
}

function fail(code: string, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message } };
}

function fitsSize(request: unknown): boolean {
  try {
    return JSON.stringify(request ?? {}).length <= MAX_REQUEST_BYTES;
  } catch {
    return false; // cyclic or otherwise unserialisable: not something a renderer can send
  }
}

/** Field paths and messages only: never the offending values, which may be personal data. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export type { Request };
