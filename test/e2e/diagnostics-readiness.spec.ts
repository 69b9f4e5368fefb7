/**
 * Diagnostics -> "Check conference servers" against the sandbox (the Pexip double with coturn
 * handing out STUN/TURN, its Management Node, Janus and its room guard), with the double's CORS
 * restricted to the console's own origin as a real node's would be: the table passes, step by
 * step; with the console's origin taken off the node's list, the CORS step fails by name; the
 * copied table carries no token, PIN or password.
 */
import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import { consolePolicyFor } from '../stack/stack';
import { expect, test } from './fixtures';

test.setTimeout(120_000);

test('Check conference servers: the table passes against the sandbox, and names the CORS step when the app origin is not allowed', async ({ launchConsole, stack }) => {
  const policy = test.info().outputPath('policy.json');
  writeFileSync(policy, JSON.stringify(consolePolicyFor(stack)));
  const app = await launchConsole({ env: { CLINICIAN_CONSOLE_POLICY: policy } });
  // The call window's origin: the app's custom scheme, or the browser host's own page origin.
  const origin = app.kind === 'electron' ? 'app://console' : new URL(app.page.url()).origin;
  // The fixture let the console's origin in (and the other pages this worker opened): kept for the end.
  const allowed = stack.pexip!.corsOrigins();
  expect(allowed).toContain(origin);
  try {
    await app.page.getByRole('button', { name: 'Diagnostics' }).click();
    const check = app.page.getByTestId('readiness');
    await check.getByRole('button', { name: 'Check conference servers' }).click();
    const result = check.getByTestId('readiness-result');
    await expect(result).toHaveAttribute('data-passed', 'true', { timeout: 30_000 });
    await expect(result).toHaveText('Passed: every step that could run worked.');

    const table = check.getByRole('table', { name: 'Conference server check: one row per step' });
    const row = (kind: string, step: string) => table.locator(`[data-testid="readiness-row"][data-kind="${kind}"][data-step="${step}"]`);
    for (const step of ['client-api', 'cors', 'request-token', 'events', 'release-token']) await expect(row('pexip', step)).toHaveAttribute('data-state', 'ok');
    await expect(row('pexip', 'cors')).toContainText(`Allowed for ${origin}`);
    await expect(row('pexip-management', 'management-status')).toHaveAttribute('data-state', 'ok');
    await expect(row('pexip-management', 'management-vmr')).toHaveAttribute('data-code', 'vmr-resolved');
    await expect(row('room-guard', 'guard')).toHaveAttribute('data-state', 'ok');
    await expect(row('janus', 'janus')).toHaveAttribute('data-code', 'websocket-upgraded');
    // The guard's test room (janusTestRooms in the policy): a host admitted and joined in Janus, then gone.
    await expect(row('room-guard', 'admission')).toHaveAttribute('data-code', 'admitted');
    await expect(row('room-guard', 'admission')).toContainText('A host was admitted to the test room and joined it in Janus, then left');
    if (stack.turn) {
      await expect(row('stun', 'stun')).toHaveAttribute('data-code', 'stun-answered');
      await expect(row('turn', 'turn').first()).toHaveAttribute('data-code', 'turn-allocated');
    }
    // Nobody stays in the test VMR.
    expect(stack.pexip!.participants(`readiness-check@${stack.pexip!.domain}`)).toEqual([]);

    // Keyboard: the copy action is reachable and says what it did.
    const copy = check.getByRole('button', { name: 'Copy the check' });
    if (app.kind === 'browser') await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await copy.focus();
    await app.page.keyboard.press('Enter');
    await expect(check.getByRole('status').filter({ hasText: 'Copied.' })).toBeVisible();
    if (app.kind === 'browser') {
      const text = await app.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
      expect(text).toMatch(/^Conference server readiness, .*: passed$/m);
      expect(text).toMatch(/^OK\s+pexip http:\/\/127\.0\.0\.1:\d+\s+cors\s+cors-allowed/m);
      expect(text).not.toContain(stack.pexip!.statusApi.password);
      expect(text).toMatch(/^OK\s+room-guard http:\/\/127\.0\.0\.1:\d+\s+admission\s+admitted$/m);
      expect(text).not.toContain(stack.guard!.testRoom.hostPin);
      if (stack.turn) expect(text).not.toContain(stack.turn.credential);
    }

    // The node no longer allows the console's origin: the CORS step fails, by name.
    stack.pexip!.setCorsOrigins(['https://portal.example']);
    await check.getByRole('button', { name: 'Check conference servers' }).click();
    await expect(result).toHaveAttribute('data-passed', 'false', { timeout: 30_000 });
    await expect(row('pexip', 'cors')).toHaveAttribute('data-state', 'failed');
    await expect(row('pexip', 'cors')).toContainText(`${origin} is not allowed (HTTP 403)`);
    await expect(row('pexip', 'request-token')).toHaveAttribute('data-state', 'ok');

    // Screen readers: the table (with failed and skipped rows) has no serious or critical violation.
    const axe = await new AxeBuilder({ page: app.page }).include('[data-testid="readiness"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  } finally {
    stack.pexip!.setCorsOrigins(allowed);
  }
});
