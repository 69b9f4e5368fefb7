/**
 * Fuzzing the IPC router with fast-check: unknown channels, wrong types and oversized
 * payloads, 10,000 cases. It never throws, never calls a handler with an invalid request,
 * and every rejection is an `{ ok: false }` with a known code and small parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter, MAX_REQUEST_BYTES, type Handlers } from '../../../main/ipc/router';
import { nullLogger } from '../../../main/log/logger';
import { channels, ErrorCode, type Channel } from '../../../preload/contract';

const channelNames = Object.keys(channels) as Channel[];

/** Handlers that re-validate what they were given: reaching one with a bad request fails the test. */
function strictHandlers(): Handlers {
  return Object.fromEntries(
    channelNames.map((name) => [
      name,
      async (request: unknown) => {
        expect(channels[name].request.safeParse(request).success).toBe(true);
        throw new Error('handler reached');
      },
    ]),
  ) as unknown as Handlers;
}

describe('IPC router (fuzzed)', () => {
  const router = createRouter(strictHandlers(), nullLogger);

  it('answers 10,000 hostile requests with a clear result and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...channelNames), fc.string(), fc.anything()),
        fc.oneof(
          fc.anything(),
          fc.object(),
          fc.record({ day: fc.string(), meetingId: fc.string() }, { requiredKeys: [] }),
          // Oversized: built with repeat, because generating 64 KiB character by character is slow.
          fc.integer({ min: MAX_REQUEST_BYTES, max: MAX_REQUEST_BYTES + 1000 }).map((n) => ({ day: 'x'.repeat(n) })),
        ),
        fc.constantFrom('main' as const, 'call' as const),
        async (channel, request, window) => {
          const result = await router.handle(channel, request, { window });
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) {
            expect(ErrorCode.options).toContain(result.error.code);
            expect(JSON.stringify(result.error.params ?? {}).length).toBeLessThan(600);
          }
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);
});
