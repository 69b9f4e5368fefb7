/**
 * .github/workflows/release.yml is valid and does what the release depends on: the real
 * Electron app is tested (the e2e suite on Linux under Xvfb with Chromium's sandbox on, a
 * start-and-sign-in smoke test on Windows and macOS) before, and as a condition of, building
 * the installers; actions pinned to a major version; the token read-only.
 * (GitHub itself can only check the file when it runs; this catches mistakes before that.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const text = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
// js-yaml: electron-builder's and electron-updater's YAML reader (YAML 1.2: `on` stays a string).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  name?: string;
  'runs-on': string;
  needs?: string | string[];
  permissions?: unknown;
  strategy?: { matrix?: { os?: string[]; include?: Array<Record<string, string>> } };
  steps: Step[];
}
const workflow = load(text) as { name: string; on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));

describe('release.yml', () => {
  it('is a workflow: triggers, jobs with a runner and steps, each step a run or a uses', () => {
    expect(workflow.name).toBe('release');
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(Object.keys(jobs).length).toBeGreaterThanOrEqual(3);
    for (const [id, job] of Object.entries(jobs)) {
      expect(job['runs-on'], id).toBeTruthy();
      expect(job.steps.length, id).toBeGreaterThan(0);
      for (const step of job.steps) expect(Number(step.run !== undefined) + Number(step.uses !== undefined), `${id}: ${JSON.stringify(step)}`).toBe(1);
    }
  });

  it('has the real-Electron jobs, and builds installers only after both pass', () => {
    expect(jobs).toHaveProperty('e2e-electron');
    expect(jobs).toHaveProperty('electron-smoke');
    expect(jobs).toHaveProperty('installers');
    expect(needsOf(jobs.installers!).sort()).toEqual(['e2e-electron', 'electron-smoke']);
    for (const [id, job] of Object.entries(jobs)) for (const need of needsOf(job)) expect(jobs, `${id} needs ${need}`).toHaveProperty(need);
    // The test jobs depend on nothing, so nothing can skip them.
    expect(needsOf(jobs['e2e-electron']!)).toEqual([]);
    expect(needsOf(jobs['electron-smoke']!)).toEqual([]);
  });

  it('runs the whole e2e suite against Electron on Ubuntu, under Xvfb, with the Chromium sandbox on', () => {
    const job = jobs['e2e-electron']!;
    expect(job['runs-on']).toMatch(/^ubuntu-/);
    const commands = runs(job);
    expect(commands).toContain('npm run setup -- --system');
    expect(commands.some((c) => /^xvfb-run\b.*\bnpx playwright test$/m.test(c))).toBe(true);
    expect(commands.some((c) => /electronBinary\(\)/.test(c) && /process\.exit\(1\)/.test(c))).toBe(true);
    expect(commands.some((c) => /chmod 4755 node_modules\/electron\/dist\/chrome-sandbox/.test(c))).toBe(true);
    expect(commands.some((c) => c.includes('scripts/privacy-audit.mjs'))).toBe(true);
    expect(JSON.stringify(workflow.jobs)).not.toMatch(/--no-sandbox|ELECTRON_DISABLE_SANDBOX/);
    // The build comes before the tests that launch it.
    expect(commands.indexOf('npm run build')).toBeLessThan(commands.findIndex((c) => c.includes('playwright test')));
  });

  it('smoke-tests start and sign-in on Windows and macOS', () => {
    const job = jobs['electron-smoke']!;
    const oses = job.strategy?.matrix?.os ?? [];
    expect(oses.some((os) => os.startsWith('windows-'))).toBe(true);
    expect(oses.some((os) => os.startsWith('macos-'))).toBe(true);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    const spec = 'test/e2e/electron-smoke.spec.ts';
    expect(runs(job).some((c) => c === `npx playwright test ${spec}`)).toBe(true);
    expect(existsSync(join(root, spec))).toBe(true);
    expect(readFileSync(join(root, spec), 'utf8')).toMatch(/test\.skip\(!electronBinary\(\)/);
    expect(runs(job).some((c) => /electronBinary\(\)/.test(c) && /process\.exit\(1\)/.test(c))).toBe(true);
  });

  it('builds every installer without publishing, and keeps the update files', () => {
    const job = jobs.installers!;
    const targets = (job.strategy?.matrix?.include ?? []).map((entry) => entry.target);
    expect(targets.sort()).toEqual(['--linux', '--mac', '--win']);
    expect(runs(job)).toContain('npx electron-builder ${{ matrix.target }} --publish never');
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    const paths = String(upload?.with?.path ?? '').split('\n').filter(Boolean);
    expect(paths).toEqual(expect.arrayContaining(['dist/*.msi', 'dist/*.exe', 'dist/*.dmg', 'dist/*.zip', 'dist/*.AppImage', 'dist/*.deb', 'dist/latest*.yml']));
  });

  it('keeps signing secrets out of the test jobs', () => {
    for (const id of ['e2e-electron', 'electron-smoke']) expect(JSON.stringify(jobs[id]), id).not.toMatch(/secrets\./);
  });

  it('pins every action to a major version', () => {
    const uses = Object.values(jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@v\d+$/);
  });

  it('gives the token read-only permissions, everywhere', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const all = [workflow.permissions, ...Object.values(jobs).map((job) => job.permissions)].filter((p) => p !== undefined);
    for (const permissions of all) {
      expect(typeof permissions, 'no "read-all"/"write-all" shorthand').toBe('object');
      for (const [scope, level] of Object.entries(permissions as Record<string, string>)) expect(['read', 'none'], scope).toContain(level);
    }
  });
});
