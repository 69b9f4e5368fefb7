/**
 * What the console holds reaches the log redactor: the account, and the subjects and PINs of
 * the last days shown, forgotten at sign-out. Invented values only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKnownSecrets } from '../../../main/log/known-secrets';
import { redact } from '../../../main/log/redact';

const known = createKnownSecrets({ days: 2 });
afterEach(() => known.forget());

describe('known secrets', () => {
  it('replaces the account, the subjects and the PINs of the last days shown, and forgets them at sign-out', () => {
    known.account({ name: 'Åsa Inventedsdottir', username: 'asa.invented@hospital.example' });
    known.day('2026-12-01', [{ subject: 'Kontrol af invented knee', pins: ['58213907', '77410298'] }]);
    const line = 'upstream said: Kontrol af invented knee for Åsa Inventedsdottir, PIN 58213907, guest 77410298';
    expect(redact(line)).not.toMatch(/invented knee|Inventedsdottir|58213907|77410298/);

    // Two more days shown: the first one drops out of the redactor's memory (bounded work).
    known.day('2026-12-02', [{ subject: 'Invented follow-up one', pins: [] }]);
    known.day('2026-12-03', [{ subject: 'Invented follow-up two', pins: [] }]);
    expect(redact('Kontrol af invented knee')).toBe('Kontrol af invented knee');
    expect(redact('about Invented follow-up two')).not.toContain('Invented follow-up two');

    known.forget();
    expect(redact('Invented follow-up two, Åsa Inventedsdottir')).toBe('Invented follow-up two, Åsa Inventedsdottir');
  });
});
