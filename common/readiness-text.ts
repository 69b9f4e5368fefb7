/**
 * The readiness report as plain text for an IT ticket. Apart from readiness.ts, whose zod
 * schemas the main window would otherwise load (and compile) at start only to copy this.
 */
import type { ReadinessReport, ReadinessRow } from './readiness';

function paramsText(params: ReadinessRow['params']): string {
  const entries = Object.entries(params ?? {});
  return entries.length ? ` (${entries.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
}

/** The report as a plain-text table for an IT ticket (English codes, aligned columns). */
export function readinessText(report: ReadinessReport): string {
  const head = ['state', 'server', 'step', 'reason'];
  const body = report.rows.map((r) => [r.state.toUpperCase(), `${r.kind} ${r.server}`, r.step, `${r.code}${paramsText(r.params)}${r.inferred ? ' [inferred]' : ''}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const failed = report.rows.filter((r) => r.state === 'failed').length;
  return [
    `Conference server readiness, ${report.at}, from origin ${report.origin}: ${failed === 0 ? 'passed' : `${failed} step(s) failed`}`,
    line(head),
    ...body.map(line),
  ].join('\n');
}
