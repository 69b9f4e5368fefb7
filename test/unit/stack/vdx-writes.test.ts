// The VDX sandbox's write side against the spec (as transcribed in test/stack/vdx/schema.ts):
// create, move, cancel and scheduling templates, with real bearer tokens from the local IdP,
// and the fault switches that lose an answer after VDX committed the write.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCa } from '../../stack/ca';
import { startIdp, type IdpHandle } from '../../stack/idp';
import {
  detailedErrorSchema,
  formatVdxDateTime,
  meetingSchema,
  schedulingInfoSchema,
  schedulingTemplateSchema,
  startVdx,
  type VdxHandle,
} from '../../stack/vdx';
import { tempDir } from '../../support/temp-dir';

const NURSE = 'nurse.demo@example.org';
const CLINICIAN = 'dr.demo@example.org';
const READER = 'reader.demo@example.org';

let idp: IdpHandle;
let vdx: VdxHandle;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const ca = await createTestCa(tempDir('vdx-writes-'));
  idp = await startIdp({ tls: ca });
  vdx = await startVdx({
    idp: { issuer: idp.issuer, jwksUri: idp.jwksUri, audience: idp.resource, scope: idp.apiScope },
    caCertPem: ca.caCertPem,
    seed: false,
  });
  for (const who of [NURSE, CLINICIAN, READER]) tokens[who] = await idp.mintAccessToken(who);
});

afterAll(async () => {
  await vdx?.stop();
  await idp?.stop();
});

beforeEach(() => vdx.setWriteFault(null));

function call(method: string, path: string, body?: unknown, who = NURSE) {
  return fetch(`${vdx.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A visit `fromNowMin` minutes from now, lasting `minutes`. */
function visit(fromNowMin: number, minutes = 20, extra: Record<string, unknown> = {}) {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000 + fromNowMin * 60_000);
  return {
    uuid: randomUUID(),
    subject: 'Follow-up video visit (invented)',
    startTime: formatVdxDateTime(start),
    endTime: formatVdxDateTime(new Date(start.getTime() + minutes * 60_000)),
    ...extra,
  };
}

async function expectError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  const body = detailedErrorSchema.parse(await res.json());
  if (code) expect(body.detailed_error_code).toBe(code);
  return body;
}

describe('POST /v2/meetings', () => {
  it('books a meeting under the client-chosen uuid, organised by the caller, in the spec shape', async () => {
    const input = visit(24 * 60);
    const res = await call('POST', '/v2/meetings', input);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/hal\+json/);
    const meeting = meetingSchema.parse(await res.json());
    expect(meeting.uuid).toBe(input.uuid);
    expect(meeting.startTime).toBe(input.startTime);
    expect(meeting.organizedBy.email).toBe(NURSE);
    // A booking a day ahead waits for its room (so it may still be cancelled).
    const info = schedulingInfoSchema.parse(await (await call('GET', `/v2/scheduling-info/${input.uuid}`)).json());
    expect(info.provisionStatus).toBe('AWAITS_PROVISION');
    // The default template's values (the sandbox's template 1) filled what the body left out.
    expect(info.maxParticipants).toBe(6);
    expect(info.vmrAvailableBefore).toBe(15);
  });

  it('a meeting that starts now has its room at once ("meet now")', async () => {
    const input = visit(0, 15);
    expect((await call('POST', '/v2/meetings', input)).status).toBe(200);
    const info = schedulingInfoSchema.parse(await (await call('GET', `/v2/scheduling-info/${input.uuid}`)).json());
    expect(info.provisionStatus).toBe('PROVISIONED_OK');
  });

  it('a second create with the same uuid is refused (400) and never makes a second meeting', async () => {
    const input = visit(60);
    const before = vdx.committedWrites.create;
    expect((await call('POST', '/v2/meetings', input)).status).toBe(200);
    await expectError(await call('POST', '/v2/meetings', input), 400, '11');
    await expectError(await call('POST', '/v2/meetings', { ...input, subject: 'Other' }), 400, '11');
    expect(vdx.committedWrites.create - before).toBe(1);
    expect(vdx.allMeetings().filter((m) => m.uuid === input.uuid)).toHaveLength(1);
  });

  it('a deleted meeting\'s uuid stays taken', async () => {
    const input = visit(90);
    expect((await call('POST', '/v2/meetings', input)).status).toBe(200);
    expect((await call('DELETE', `/v2/meetings/${input.uuid}`)).status).toBe(204);
    await expectError(await call('POST', '/v2/meetings', input), 400, '11');
  });

  it.each([
    ['a missing endTime', (v: Record<string, unknown>) => ({ ...v, endTime: undefined }), '10'],
    ['a subject over 100 characters', (v: Record<string, unknown>) => ({ ...v, subject: 'x'.repeat(101) }), '10'],
    ['an end before the start', (v: Record<string, unknown>) => ({ ...v, endTime: v['startTime'], startTime: v['endTime'] }), '10'],
    ['a five-digit year', (v: Record<string, unknown>) => ({ ...v, startTime: '20261-01-01T10:00:00Z' }), undefined],
    ['a PIN below 1000', (v: Record<string, unknown>) => ({ ...v, guestPin: 999 }), '10'],
    ['an unknown template', (v: Record<string, unknown>) => ({ ...v, schedulingTemplateId: 99 }), '26'],
    ['a pool meeting where the organisation has no pool', (v: Record<string, unknown>) => ({ ...v, meetingType: 'POOL' }), '20'],
  ])('%s is a 400 with the spec error body, and nothing is booked', async (_what, change, code) => {
    const input = change(visit(120));
    const before = vdx.committedWrites.create;
    await expectError(await call('POST', '/v2/meetings', input), 400, code);
    expect(vdx.committedWrites.create).toBe(before);
  });

  it('a body that is not JSON is a 400, not a 500', async () => {
    const res = await fetch(`${vdx.baseUrl}/v2/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[NURSE]}`, 'content-type': 'application/json' },
      body: '{"subject":',
    });
    await expectError(res, 400, '10');
  });

  it('a role that may read but not book gets 403 for every write; it may still read', async () => {
    const input = visit(30);
    await expectError(await call('POST', '/v2/meetings', input, READER), 403);
    expect((await call('GET', '/v2/scheduling-templates', undefined, READER)).status).toBe(200);
    expect(vdx.getMeeting(input.uuid)).toBeUndefined();
  });
});

describe('PUT and DELETE /v2/meetings/{uuid}', () => {
  it('moves a meeting that awaits its room, and the list of the new day shows it', async () => {
    const input = visit(2 * 24 * 60);
    await call('POST', '/v2/meetings', input);
    const moved = visit(3 * 24 * 60, 30);
    const res = await call('PUT', `/v2/meetings/${input.uuid}`, { subject: input.subject, startTime: moved.startTime, endTime: moved.endTime });
    expect(res.status).toBe(200);
    const meeting = meetingSchema.parse(await res.json());
    expect([meeting.startTime, meeting.endTime]).toEqual([moved.startTime, moved.endTime]);
    expect(vdx.getMeeting(input.uuid)?.startTime).toBe(moved.startTime);
  });

  it('a meeting whose room is ready keeps its start: only endTime changes, as the spec says', async () => {
    const input = visit(0, 15);
    await call('POST', '/v2/meetings', input);
    const later = visit(60, 30);
    const meeting = meetingSchema.parse(
      await (await call('PUT', `/v2/meetings/${input.uuid}`, { subject: input.subject, startTime: later.startTime, endTime: later.endTime })).json(),
    );
    expect(meeting.startTime).toBe(input.startTime);
    expect(meeting.endTime).toBe(later.endTime);
    // And it can no longer be deleted (406, code 13).
    await expectError(await call('DELETE', `/v2/meetings/${input.uuid}`), 406, '13');
  });

  it('someone else\'s meeting is a 403; an unknown one a 404; a bad uuid a 400', async () => {
    const input = visit(200);
    await call('POST', '/v2/meetings', input, NURSE);
    await expectError(await call('PUT', `/v2/meetings/${input.uuid}`, { subject: 'x', startTime: input.startTime, endTime: input.endTime }, CLINICIAN), 403);
    await expectError(await call('DELETE', `/v2/meetings/${input.uuid}`, undefined, CLINICIAN), 403);
    await expectError(await call('DELETE', `/v2/meetings/${randomUUID()}`), 404);
    await expectError(await call('DELETE', '/v2/meetings/not-a-uuid'), 400, '10');
    expect(vdx.getMeeting(input.uuid)?.subject).toBe(input.subject);
  });

  it('cancels: 204, then the meeting is gone (404) and a second delete is a 404', async () => {
    const input = visit(300);
    await call('POST', '/v2/meetings', input);
    const res = await call('DELETE', `/v2/meetings/${input.uuid}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await call('GET', `/v2/meetings/${input.uuid}`)).status).toBe(404);
    await expectError(await call('DELETE', `/v2/meetings/${input.uuid}`), 404);
  });

  it('PATCH, which the console does not use, is a 405 naming what is allowed', async () => {
    const res = await call('PATCH', `/v2/meetings/${randomUUID()}`, {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});

describe('fault switches: what a hospital network does to a write', () => {
  it('commit-then-drop: the connection is cut with no answer, and the meeting exists', async () => {
    const input = visit(400);
    vdx.setWriteFault('commit-then-drop');
    await expect(call('POST', '/v2/meetings', input)).rejects.toThrow();
    expect(vdx.getMeeting(input.uuid)?.uuid).toBe(input.uuid);
    // One shot: the client's next look-up is answered.
    expect((await call('GET', `/v2/meetings/${input.uuid}`)).status).toBe(200);
  });

  it('commit-then-503: a 503 although the write landed; a retried create is then a 400', async () => {
    const input = visit(410);
    vdx.setWriteFault('commit-then-503');
    expect((await call('POST', '/v2/meetings', input)).status).toBe(503);
    expect(vdx.getMeeting(input.uuid)).toBeDefined();
    await expectError(await call('POST', '/v2/meetings', input), 400, '11');
  });

  it('http503 before the commit leaves nothing behind, and applies to as many writes as asked', async () => {
    const a = visit(420);
    const b = visit(430);
    vdx.setWriteFault('http503', 2);
    expect((await call('POST', '/v2/meetings', a)).status).toBe(503);
    expect((await call('POST', '/v2/meetings', b)).status).toBe(503);
    expect(vdx.getMeeting(a.uuid)).toBeUndefined();
    expect((await call('POST', '/v2/meetings', a)).status).toBe(200);
  });

  it('commit-then-hang: the meeting exists while the request waits; the client\'s own timeout ends it', async () => {
    const input = visit(450);
    vdx.setWriteFault('commit-then-hang');
    const res = fetch(`${vdx.baseUrl}/v2/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[NURSE]}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(500),
    });
    await expect(res).rejects.toThrow();
    expect(vdx.getMeeting(input.uuid)?.uuid).toBe(input.uuid);
  });

  it('a delete whose answer is lost has still deleted', async () => {
    const input = visit(440);
    await call('POST', '/v2/meetings', input);
    vdx.setWriteFault('commit-then-drop');
    await expect(call('DELETE', `/v2/meetings/${input.uuid}`)).rejects.toThrow();
    expect(vdx.getMeeting(input.uuid)).toBeUndefined();
  });
});

describe('GET /v2/scheduling-templates', () => {
  it('lists the organisation\'s templates in the spec shape, exactly one default', async () => {
    const res = await call('GET', '/v2/scheduling-templates');
    expect(res.status).toBe(200);
    const list = schedulingTemplateSchema.array().parse(await res.json());
    expect(list.length).toBeGreaterThan(0);
    expect(list.filter((t) => t.isDefaultTemplate)).toHaveLength(1);
    expect(vdx.requestCounts()['scheduling-templates']).toBeGreaterThan(0);
  });
});
