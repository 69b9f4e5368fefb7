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
  type Channel,
  type ErrorInfo,
  type Request,
  type Response,
  type Result,
  type WindowKind,
} from '../../preload/contract';
import { isChannel } from '../../preload/bridge-names';
import { errorInfo, type ErrorCode, type ErrorParams } from '../../common/errors';
import { UserFacingError } from '../core/errors';
import type { Logger } from '../log/logger';

export type Handlers = {
  [C in Channel]: (request: z.output<(typeof channels)[C]['request']>, sender: Sender) => Promise<Response<C>>;
};

/** Channels the start-up answers itself for every core (main/core/start.ts): the windows' log and its export. */
export type LogChannel = 'log.write' | 'app.saveLogs';
/** What a core answers: everything else. */
export type CoreHandlers = Omit<Handlers, LogChannel>;

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
        return fail('unknown-channel');
      }
      const spec = channels[channelName];
      if (!spec.windows.includes(sender.window)) {
        log.warn(`ipc: ${channelName} refused from the ${sender.window} window`);
        return fail('forbidden', { channel: channelName });
      }
      if (!fitsSize(request)) {
        log.warn(`ipc: oversized request on ${channelName} refused`);
        return fail('bad-request', { channel: channelName });
      }
      const parsed = spec.request.safeParse(request ?? {});
      if (!parsed.success) {
        log.warn(`ipc: invalid request on ${channelName}: ${describeIssues(parsed.error)}`);
        return fail('bad-request', { channel: channelName, fields: issuePaths(parsed.error) });
      }
      try {
        const handler = handlers[channelName] as (r: unknown, s: Sender) => Promise<unknown>;
        const value = await handler(parsed.data, sender);
        const checked = spec.response.safeParse(value);
        if (!checked.success) {
          log.error(`ipc: ${channelName} produced an invalid response: ${describeIssues(checked.error)}`);
          return fail('internal');
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof UserFacingError) {
          log.warn(`ipc: ${channelName} failed: ${error.code}`);
          return { ok: false, error: error.info };
        }
        log.error(`ipc: ${channelName} failed unexpectedly`, error);
        return fail('internal');
      }
    },
  };
}

function fail(code: ErrorCode, params?: ErrorParams): { ok: false; error: ErrorInfo } {
  return { ok: false, error: errorInfo(code, params) };
}

function fitsSize(request: unknown): boolean {
  try {
    return JSON.stringify(request ?? {}).length <= MAX_REQUEST_BYTES;
  } catch {
    return false; // cyclic or otherwise unserialisable: not something a renderer can send
  }
}

/** The paths of the fields at fault, never their values. */
function issuePaths(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => (issue.path.length ? issue.path.join('.') : '(root)')))].slice(0, 5).join(', ');
}

/** Field paths and messages only: never the offending values, which may be personal data. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export type { Request };
