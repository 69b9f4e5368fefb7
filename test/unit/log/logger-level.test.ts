/** The logger's level: set once IT's policy is read, for the root and every child made before or after. */
import { describe, expect, it } from 'vitest';
import { createLogger, LEVELS, type Level } from '../../../main/log/logger';

function capture(level?: Level) {
  const lines: string[] = [];
  const log = createLogger([(line) => lines.push(line)], 'app', level);
  return { log, lines };
}

const writeAll = (log: ReturnType<typeof capture>['log'] | ReturnType<ReturnType<typeof capture>['log']['child']>) => {
  log.debug('d-line');
  log.info('i-line');
  log.warn('w-line');
  log.error('e-line');
};

describe('log levels', () => {
  it('writes info and above by default', () => {
    const { log, lines } = capture();
    writeAll(log);
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['INFO', 'WARN', 'ERROR']);
  });

  it.each(LEVELS)('at %s writes that level and everything more severe', (level) => {
    const { log, lines } = capture();
    log.setLevel(level);
    writeAll(log);
    expect(lines.map((l) => l.split(' ')[1]!.toLowerCase())).toEqual(LEVELS.slice(LEVELS.indexOf(level)));
    expect(log.level()).toBe(level);
  });

  it('reaches children made before the level was set, and after', () => {
    const { log, lines } = capture();
    const early = log.child('early');
    log.setLevel('debug');
    const late = log.child('late').child('deeper');
    early.debug('from early');
    late.debug('from late');
    expect(lines).toEqual([expect.stringMatching(/ DEBUG \[app:early\] from early$/), expect.stringMatching(/ DEBUG \[app:late:deeper\] from late$/)]);
    log.setLevel('error');
    early.warn('dropped');
    late.error('kept');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/ERROR \[app:late:deeper\] kept$/);
  });

  it('refuses a level it does not know (a policy value is parsed before it gets here)', () => {
    const { log } = capture();
    expect(() => log.setLevel('verbose' as Level)).toThrow(/unknown log level/);
    expect(log.level()).toBe('info');
  });
});
