/**
 * IT's read-only Management API account (`pexipStatusApi`) for a Pexip server's domain:
 * it may read the participant status (what the waiting badge polls), and the test VMR's
 * alias resolves to a VMR through the Configuration API (`conference_alias`, then the VMR),
 * with the same client the waiting badge uses (pexip-management.ts). The VMR's name is
 * not shown; the password never leaves the Authorization header.
 */
import type { PexipStatusApi } from '../../../main/settings/settings';
import { nullLogger } from '../../../main/log/logger';
import { createManagementClient } from '../../providers/pexip/main/pexip-management';
import type { WaitingProblem } from '../waiting-probes';
import { noAnswer, rowsFor, type Row } from './rows';

export async function managementSteps(api: PexipStatusApi, testAlias: string, opts: { fetch: typeof fetch; timeoutMs: number }): Promise<Row[]> {
  const rows = rowsFor('pexip-management', api.url);
  const base = api.url.replace(/\/+$/, '');
  let status: Row;
  try {
    const res = await opts.fetch(`${base}/api/admin/status/v1/participant/?limit=1`, {
      headers: { authorization: `Basic ${Buffer.from(`${api.username}:${api.password}`, 'utf8').toString('base64')}`, accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'manual',
    });
    await res.body?.cancel();
    if (res.status === 200) status = rows.ok('management-status', 'status-readable');
    else if (res.status === 401 || res.status === 403) status = rows.failed('management-status', 'account-refused', { status: res.status });
    else if (res.status === 429) status = rows.failed('management-status', 'rate-limited');
    else status = rows.failed('management-status', 'http-status', { status: res.status });
  } catch (error) {
    status = noAnswer(rows, 'management-status', error, opts.timeoutMs);
  }
  if (!testAlias) return [status, rows.skipped('management-vmr', 'no-test-alias')];
  if (status.state === 'failed') return [status, rows.skipped('management-vmr', 'earlier-step-failed')];

  const problems: WaitingProblem[] = [];
  const client = createManagementClient({ api, fetch: opts.fetch, timeoutMs: opts.timeoutMs, log: nullLogger, clock: () => performance.now(), note: (_alias, problem) => problems.push(problem) });
  let vmr: Awaited<ReturnType<typeof client.vmrName>>;
  try {
    vmr = await client.vmrName(testAlias);
  } catch (error) {
    return [status, noAnswer(rows, 'management-vmr', error, opts.timeoutMs)];
  }
  if (vmr === 'none') return [status, rows.failed('management-vmr', 'vmr-not-found')];
  if (vmr) return [status, rows.ok('management-vmr', 'vmr-resolved')];
  if (problems.includes('lookup-refused')) return [status, rows.failed('management-vmr', 'lookup-refused')];
  if (problems.includes('rate-limited')) return [status, rows.failed('management-vmr', 'rate-limited')];
  return [status, rows.failed('management-vmr', 'lookup-failed')];
}
