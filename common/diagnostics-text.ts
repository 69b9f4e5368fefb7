/** The diagnostics report as plain text, for "Copy diagnostics" into an IT ticket. */
import type { Diagnostics } from './diagnostics';

export function diagnosticsText(d: Diagnostics): string {
  const lines = [`Clinician Console ${d.version} (${d.host})`, ...Object.entries(d.runtime).map(([k, v]) => `${k} ${v}`), '', 'Settings:'];
  for (const s of d.settings) lines.push(`  ${s.key} = ${s.value}  [${s.source}${s.locked ? ', locked' : ''}]`);
  lines.push('', `Policy sources: ${d.policySources.length ? d.policySources.join(', ') : 'none'}`);
  for (const p of d.policyProblems) lines.push(`  not applied: ${p.source} (${p.reason}${p.detail ? `, ${p.detail}` : ''})`);
  for (const k of d.policyIgnoredKeys) lines.push(`  ignored unknown key: ${k.key} in ${k.source}`);
  if (d.policyReload?.invalid) lines.push('  changed while running, but invalid: the policy read at start stays');
  else if (d.policyReload) {
    lines.push(`  changed while running; applied now: ${d.policyReload.live.join(', ') || 'nothing'}`);
    if (d.policyReload.restart.length) lines.push(`  changed, applies at the next start: ${d.policyReload.restart.join(', ')}`);
  }
  lines.push('', 'Reachability:');
  for (const r of d.reachability) lines.push(`  ${r.service}: ${r.state}${r.detail ? ` (${r.detail})` : ''} ${r.url}`);
  if (d.waiting?.length) {
    lines.push('', 'Waiting badges:');
    for (const w of d.waiting) lines.push(`  ${w.problem}: ${w.subject}`);
  }
  if (d.updates) lines.push('', `Updates: ${d.updates.enabled ? (d.updates.state ?? 'on') : 'off'}${d.updates.detail ? ` (${d.updates.detail})` : ''}`);
  return lines.join('\n');
}
