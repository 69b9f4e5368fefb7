/**
 * SIP/H.323 endpoints for dial-out tests. A headless page (endpoint/page) registers an
 * address and long-polls for what happens to it; dialling that address from a conference
 * rings the page, which answers with its own WebRTC call into the conference's relay.
 *
 * This is the double's private test protocol, not Pexip's: a real node would place a SIP
 * or H.323 call. Addresses compare without their scheme and case-insensitively
 * (`sip:Ward@x` rings a page registered as `ward@x`).
 */

export type EndpointEvent =
  | { type: 'ring'; callId: string; from: string; role: 'HOST' | 'GUEST'; protocol: string }
  | { type: 'cancel'; callId: string }
  | { type: 'hangup'; callId: string; reason: string };

/** What the conference that placed a call does when its endpoint answers or hangs up. */
export interface CallHandler {
  answer(sdp: string): Promise<string>;
  hangup(): void;
}

/** How long a poll is held open before it answers with no events. */
export const POLL_HOLD_MS = 20_000;

interface Mailbox {
  registration?: string;
  queue: EndpointEvent[];
  waiter?: { respond: (events: EndpointEvent[]) => void; timer: NodeJS.Timeout };
}

export function normaliseAddress(uri: string): string {
  return uri.trim().replace(/^(sips?|h323|tel):/i, '').toLowerCase();
}

export class EndpointRegistry {
  private readonly boxes = new Map<string, Mailbox>();
  private readonly calls = new Map<string, { address: string; handler: CallHandler }>();

  register(uri: string, registration: string): void {
    this.box(normaliseAddress(uri)).registration = registration;
  }

  isRegistered(uri: string): boolean {
    return !!this.boxes.get(normaliseAddress(uri))?.registration;
  }

  /** Long poll: answers at once with queued events, else when one arrives or after POLL_HOLD_MS. */
  poll(uri: string, respond: (events: EndpointEvent[]) => void): { cancel(): void } {
    const box = this.box(normaliseAddress(uri));
    // A newer poll replaces one still open (a reload): the old one is answered now.
    this.flushWaiter(box);
    if (box.queue.length) {
      respond(box.queue.splice(0));
      return { cancel: () => undefined };
    }
    const waiter = {
      respond,
      timer: setTimeout(() => {
        if (box.waiter === waiter) box.waiter = undefined;
        respond([]);
      }, POLL_HOLD_MS),
    };
    waiter.timer.unref();
    box.waiter = waiter;
    return {
      cancel: () => {
        clearTimeout(waiter.timer);
        if (box.waiter === waiter) box.waiter = undefined;
      },
    };
  }

  /** Rings an address. An address nobody registered just rings (until the caller's ring timeout). */
  ring(uri: string, event: Extract<EndpointEvent, { type: 'ring' }>, handler: CallHandler): void {
    const address = normaliseAddress(uri);
    this.calls.set(event.callId, { address, handler });
    this.deliver(address, event);
  }

  /** The conference ended a call (ring timeout, kick, end of meeting): tell its endpoint. */
  end(callId: string, reason: string, answered: boolean): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.calls.delete(callId);
    const box = this.boxes.get(call.address);
    const pending = box?.queue.findIndex((e) => e.type === 'ring' && e.callId === callId) ?? -1;
    if (box && pending >= 0) {
      box.queue.splice(pending, 1); // never delivered: nothing to cancel
      return;
    }
    this.deliver(call.address, answered ? { type: 'hangup', callId, reason } : { type: 'cancel', callId });
  }

  async answer(callId: string, sdp: string): Promise<string | undefined> {
    const call = this.calls.get(callId);
    return call ? call.handler.answer(sdp) : undefined;
  }

  /** The endpoint hung up. */
  hangup(callId: string): boolean {
    const call = this.calls.get(callId);
    if (!call) return false;
    this.calls.delete(callId);
    call.handler.hangup();
    return true;
  }

  /** Node went away: forget every registration and call (their connections are cut). */
  clear(): void {
    for (const box of this.boxes.values()) if (box.waiter) clearTimeout(box.waiter.timer);
    this.boxes.clear();
    this.calls.clear();
  }

  private box(address: string): Mailbox {
    let box = this.boxes.get(address);
    if (!box) {
      box = { queue: [] };
      this.boxes.set(address, box);
    }
    return box;
  }

  private deliver(address: string, event: EndpointEvent): void {
    const box = this.box(address);
    box.queue.push(event);
    this.flushWaiter(box);
  }

  /** Answers the open poll, if any, with whatever is queued (possibly nothing). */
  private flushWaiter(box: Mailbox): void {
    const waiter = box.waiter;
    if (!waiter) return;
    box.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.respond(box.queue.splice(0));
  }
}
