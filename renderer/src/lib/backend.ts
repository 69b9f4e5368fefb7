/**
 * The renderer's one way to main: a typed wrapper over the bridge the preload (or the
 * browser host) puts on `window.clinician`. Components never touch the global directly.
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

declare global {
  interface Window {
    clinician?: ClinicianBridge;
  }
}

export class BackendError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'BackendError';
  }
  get code(): string {
    return this.info.code;
  }
}

function bridge(): ClinicianBridge {
  const b = window.clinician;
  if (!b) throw new BackendError({ code: 'no-bridge', message: 'The console is not connected to its service.' });
  return b;
}

/** Calls main; resolves with the value or rejects with a BackendError carrying a clear message. */
export async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await bridge().invoke(channel, request);
  if (!result.ok) throw new BackendError(result.error);
  return result.value;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}

export function messageOf(error: unknown): string {
  return error instanceof BackendError ? error.message : 'Something went wrong. Please try again.';
}
