/**
 * Lines from the windows to main's log: redacted like main's own, tagged with the window's
 * kind, one line each (no forged lines), below the level skipped, and rate-limited per
 * window with one line saying how many were dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type Level } from '../../../main/log/logger';
import { setKnownSecrets } from '../../../main/log/redact';
import { createWindowLog } from '../../../main/log/window-log';

function setup(opts: { level?: Level; burst?: number; perSecond?: number } = {}) {
  const lines: string[] = [];
  let clock = 0;
  const root = createLogger([(line) => lines.push(line)], 'app', opts.level ?? 'info');
  const windowLog = createWindowLog({
    log: root,
    level: () => root.level(),
    now: () => clock,
    ...(opts.burst !== undefined ? { burst: opts.burst } : {}),
    ...(opts.perSecond !== undefined ? { perSecond: opts.perSecond } : {}),
  });
  return { lines, windowLog, root, advance: (ms: number) => (clock += ms) };
}

afterEach(() => setKnownSecrets('names', []));

describe('window log lines', () => {
  it('are tagged with the window kind main established, at the level asked', () => {
    const { lines, windowLog } = setup();
    windowLog.write('call', { level: 'warn', source: 'call', message: 'subscription failed: timeout' });
    windowLog.write('main', { level: 'error', source: 'window', message: 'uncaught TypeError: x is undefined' });
    expect(lines).toEqual([
      expect.stringMatching(/^\S+ WARN \[app:window:call\] call: subscription failed: timeout$/),
      expect.stringMatching(/^\S+ ERROR \[app:window:main\] window: uncaught TypeError: x is undefined$/),
    ]);
  });

  it('go through the redactor: a name main knows, a PIN and a token never reach the log', () => {
    const { lines, windowLog } = setup();
    setKnownSecrets('names', ['Åse Inventedottir']);
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    windowLog.write('call', { level: 'warn', source: 'call', message: `lost track of åse inventedottir, PIN 48392011, Bearer ${token}` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/inventedottir|48392011|eyJ/i);
    expect(lines[0]).toContain('[name]');
    expect(lines[0]).toContain('[pin]');
  });

  it('stay one line: a window cannot forge another line with a newline or a separator', () => {
    const { lines, windowLog } = setup();
    windowLog.write('call', { level: 'info', source: 'call', message: 'ok\n2026-12-01T10:00:00.000Z ERROR [app:core] forged\r\u2028also' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\r\u2028]/);
    expect(lines[0]).toMatch(/INFO \[app:window:call\] call: ok 2026-12-01T10:00:00.000Z ERROR \[app:core\] forged also$/);
  });

  it('below the configured level are skipped, and cost no tokens', () => {
    const { lines, windowLog, root } = setup({ burst: 2, perSecond: 1 });
    for (let i = 0; i < 10; i++) windowLog.write('call', { level: 'debug', source: 'call', message: `chatter ${i}` });
    expect(lines).toEqual([]);
    windowLog.write('call', { level: 'warn', source: 'call', message: 'one' });
    windowLog.write('call', { level: 'warn', source: 'call', message: 'two' });
    expect(lines).toHaveLength(2);
    root.setLevel('debug');
    windowLog.write('call', { level: 'debug', source: 'call', message: 'now wanted' });
    expect(lines).toHaveLength(2); // the bucket is empty: dropped, not skipped
  });
});

describe('the rate limit', () => {
  it('lets a burst through, drops the rest, and says how many were dropped with the next line that gets through', () => {
    const { lines, windowLog, advance } = setup({ burst: 3, perSecond: 2 });
    for (let i = 0; i < 10; i++) windowLog.write('call', { level: 'error', source: 'window', message: `flood ${i}` });
    expect(lines.map((l) => l.split('] ')[1])).toEqual(['window: flood 0', 'window: flood 1', 'window: flood 2']);
    advance(499); // not yet a whole token
    windowLog.write('call', { level: 'error', source: 'window', message: 'still dropped' });
    expect(lines).toHaveLength(3);
    advance(1); // one token back
    windowLog.write('call', { level: 'error', source: 'window', message: 'after the flood' });
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/WARN \[app:window:call\] 8 line\(s\) from this window were dropped \(more than 2 a second\)$/),
      expect.stringMatching(/ERROR \[app:window:call\] window: after the flood$/),
    ]);
    advance(10_000);
    windowLog.write('call', { level: 'error', source: 'window', message: 'calm again' });
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(/window: calm again$/);
  });

  it('is per window: a flooding call window does not silence the main window', () => {
    const { lines, windowLog } = setup({ burst: 2, perSecond: 1 });
    for (let i = 0; i < 5; i++) windowLog.write('call', { level: 'warn', source: 'call', message: `call ${i}` });
    windowLog.write('main', { level: 'warn', source: 'window', message: 'main still heard' });
    expect(lines.filter((l) => l.includes('[app:window:call]'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/\[app:window:main\] window: main still heard$/);
  });

  it('refills up to the burst only, however long the window was quiet', () => {
    const { lines, windowLog, advance } = setup({ burst: 2, perSecond: 100 });
    advance(3_600_000);
    for (let i = 0; i < 5; i++) windowLog.write('main', { level: 'info', source: 'window', message: `${i}` });
    expect(lines).toHaveLength(2);
  });
});
