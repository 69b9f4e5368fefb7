/**
 * The renderer's one way to main: a typed wrapper over the bridge the preload (or the
 * browser host) puts on `window.clinician`. Components never touch the global directly.
 * Errors arrive as codes with parameters; `errorText` puts them in the user's language.
 */
import type {
  Channel,
  ClinicianBridge,
  ErrorInfo,
  EventName,
  EventPayload,
  Request,
  Response,
} from '../../../preload/contract';
import { describeError } from '../i18n/i18n.svelte';

declare global {
  interface Window {
    clinician?: ClinicianBridge;
  }
}

export class BackendError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.code);
    this.name = 'BackendError';
  }
  get code(): string {
    return this.info.code;
  }
}

function bridge(): ClinicianBridge {
  const b = window.clinician;
  if (!b) throw new BackendError({ code: 'no-bridge' });
  return b;
}

/** Calls main; resolves with the value or rejects with a BackendError carrying main's code. */
export async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await bridge().invoke(channel, request);
  if (!result.ok) throw new BackendError(result.error);
  return result.value;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}

/** What went wrong, in the user's language. Anything that is not main's answer is "internal". */
export function errorText(error: unknown): string {
  return describeError(error instanceof BackendError ? error.info : { code: 'internal' });
}
