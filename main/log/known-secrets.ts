/**
 * What the console holds now, handed to the log redactor (log/redact.ts setKnownSecrets),
 * which then replaces it wherever it appears: the signed-in account's name and username, and
 * the subjects and PINs of the last few days shown. Log lines never name anyone in the first
 * place; this catches what a library or a server's error message might quote.
 */
import { setKnownSecrets } from './redact';

export interface KnownSecrets {
  account(account: { name: string; username: string } | null): void;
  /** A day shown (or synced): its meetings' subjects and PINs; only the last `days` days are kept. */
  day(day: string, meetings: ReadonlyArray<{ subject: string; pins: readonly string[] }>): void;
  /** Sign-out: the redactor forgets the user's days (and the account). */
  forget(): void;
}

export function createKnownSecrets(opts: { days: number }): KnownSecrets {
  const days = new Map<string, { subjects: string[]; pins: string[] }>();
  const publish = () => {
    setKnownSecrets('subjects', [...days.values()].flatMap((d) => d.subjects));
    setKnownSecrets('pins', [...days.values()].flatMap((d) => d.pins));
  };
  return {
    account(account) {
      setKnownSecrets('names', account ? [account.name, account.username] : []);
    },
    day(day, meetings) {
      days.delete(day); // most recent last
      days.set(day, { subjects: meetings.map((m) => m.subject), pins: meetings.flatMap((m) => m.pins) });
      while (days.size > opts.days) days.delete(days.keys().next().value!);
      publish();
    },
    forget() {
      days.clear();
      publish();
      setKnownSecrets('names', []);
    },
  };
}
