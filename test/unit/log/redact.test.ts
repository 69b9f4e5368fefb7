import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger';
import { redact } from '../../../main/log/redact';

describe('log redaction', () => {
  it.each([
    ['Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'eyJ'],
    ['token refused: access_token=abc.def-ghi', 'abc.def-ghi'],
    ['{"refresh_token":"0.AAAAbbbb"}', '0.AAAAbbbb'],
    ['portal link ?url=1782@test.invalid&pin=9180', '9180'],
    ['mail for demo.clinician@example.org failed', 'demo.clinician@example.org'],
    ['sms to +45 12 34 56 78 failed', '12 34 56 78'],
    ['secret: 5678 was wrong', '5678'],
  ])('removes the secret from %s', (line, secret) => {
    expect(redact(line)).not.toContain(secret);
  });

  it('keeps ordinary diagnostic text', () => {
    expect(redact('sync: 2026-11-22 not updated: offline (HTTP 503)')).toBe('sync: 2026-11-22 not updated: offline (HTTP 503)');
  });

  it('applies to every line a logger writes, error details included', () => {
    const lines: string[] = [];
    const log = createLogger([(l) => lines.push(l)]).child('test');
    log.error('request failed', new Error('401 for token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[app:test] request failed');
    expect(lines[0]).not.toContain('eyJ');
  });
});

describe('log file rotation', () => {
  it('rotates by size and keeps a bounded number of files, each line whole', async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { fileSink } = await import('../../../main/log/logger');
    const dir = mkdtempSync(join(tmpdir(), 'cc-log-'));
    const sink = fileSink(join(dir, 'console.log'), { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) sink(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['console.log', 'console.log.1', 'console.log.2']);
    const newest = readFileSync(join(dir, 'console.log'), 'utf8');
    expect(newest.trimEnd().split('\n').at(-1)).toMatch(/^line 099 x+$/);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(1000);
  });
});
