/**
 * Fuzzing the deep-link parser with fast-check: 10,000 arbitrary strings and 10,000
 * near-miss links. It never throws, every rejection is a clear message, and whatever it
 * accepts is exactly one of the two forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../../main/platform/deep-link';

const MESSAGES = new Set([
  'A link must be text.',
  'The link is too long.',
  'Only links to a meeting can be opened.',
  'The link does not name a meeting.',
]);

function checkResult(input: unknown) {
  const result = parseDeepLink(input);
  if (result.ok) {
    const id = 'uuid' in result.link ? result.link.uuid : result.link.shortId;
    expect(id).toMatch(/^([a-z0-9]{12}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/);
  } else {
    expect(MESSAGES.has(result.error)).toBe(true);
  }
  return result;
}

describe('deep-link parser (fuzzed)', () => {
  it('accepts the two forms it is meant for', () => {
    expect(parseDeepLink('clinician-console://meeting/abcdefghijkl')).toEqual({ ok: true, link: { kind: 'meeting', shortId: 'abcdefghijkl' } });
    expect(parseDeepLink('clinician-console://meeting/46B46A1E-A4D3-4387-87EE-A67DCAA222CB/')).toEqual({
      ok: true,
      link: { kind: 'meeting', uuid: '46b46a1e-a4d3-4387-87ee-a67dcaa222cb' },
    });
  });

  it.each([
    'clinician-console://meeting/abcdefghijkl?join=1',
    'clinician-console://meeting/abcdefghijkl#x',
    'clinician-console://meeting/../../etc/passwd',
    'clinician-console://user:pw@meeting/abcdefghijkl',
    'clinician-console://call/abcdefghijkl',
    'clinician-console://meeting/abcdefghijk',
    'clinician-console://meeting/abcdefghijkl/extra',
    'javascript:alert(1)',
    'https://meeting/abcdefghijkl',
  ])('rejects %s with a clear error', (link) => {
    expect(checkResult(link).ok).toBe(false);
  });

  it('never throws on 10,000 arbitrary inputs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.anything()), (input) => {
        checkResult(input);
      }),
      { numRuns: 10_000 },
    );
  });

  it('never accepts a near-miss: 10,000 links with something appended, inserted or changed', () => {
    const valid = fc.oneof(fc.stringMatching(/^[a-z0-9]{12}$/), fc.uuid());
    const junk = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^\/?$/.test(s));
    fc.assert(
      fc.property(valid, junk, (id, extra) => {
        const result = checkResult(`clinician-console://meeting/${id}${extra.startsWith('/') ? extra : `/${extra}`}`);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 10_000 },
    );
  });
});
