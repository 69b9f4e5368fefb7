// The sandbox's invented appointments. Counts and times are deterministic for a given
// `now`; ids, PINs and room ids are random per run (tests read them from the handle).
//
// Layout, in the workstation's local time zone, for each day from `fromDay` to `toDay`
// relative to today (default yesterday .. +7): MEETINGS_PER_DAY meetings. Other days use
// fixed clock slots. Today is laid out around `now` so every state a clinician meets is
// there: three already ended, one in progress, one whose room is already open but which
// has not started, one that opens in ten minutes, and one later on. Near midnight some of
// today's meetings fall on the neighbouring day; pass `now` for exact per-day counts.
//
// Every third subject carries an invented personal identity number (Danish CPR, Finnish
// henkilötunnus, Swedish personnummer in turn, drawn per run), as clinicians' subjects often
// do: the privacy audit searches every file the console wrote for them.
//
// Platforms: where the sandbox has both Janus and Pexip, meetings alternate between them,
// and of today's two joinable meetings the one in progress is on Janus and the one whose
// room is open but which has not started is on Pexip, so a call can be hosted on either.

import { randomInt } from 'node:crypto';

export const MEETINGS_PER_DAY = 7;
export const DEFAULT_VMR_AVAILABLE_BEFORE_MIN = 15;

export interface SeedOptions {
  /** The clock the layout of "today" is built around. Default: the real now. */
  now?: Date;
  /** First day relative to today. Default -1 (yesterday). */
  fromDay?: number;
  /** Last day relative to today. Default 7. */
  toDay?: number;
}

export interface SeedMeeting {
  subject: string;
  description: string;
  startTime: Date;
  endTime: Date;
  organizerEmail: string;
  labels: string[];
  platform: 'janus' | 'pexip';
}

const MIN = 60_000;

const KINDS = [
  'Video consultation',
  'Follow-up call',
  'Interpreter-assisted consultation',
  'Medication review',
  'Post-operative check',
  'Results conversation',
  'Care plan review',
] as const;

const PATIENTS = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine'] as const;

/** Fixed slots (local hour, minute, duration in minutes) for days other than today. */
const DAY_SLOTS: ReadonlyArray<readonly [number, number, number]> = [
  [8, 30, 30],
  [9, 15, 20],
  [10, 0, 45],
  [11, 0, 30],
  [13, 0, 30],
  [14, 0, 20],
  [15, 30, 45],
];

/** Today, relative to now (start offset, duration), in minutes. */
const TODAY_SLOTS: ReadonlyArray<readonly [number, number]> = [
  [-180, 30], // ended
  [-120, 30], // ended
  [-70, 30], // ended 40 min ago
  // The two joinable meetings last two hours: a whole e2e run (about 25 minutes, 90 at most)
  // hosts calls in them, and with half an hour the Janus one ended mid-run (CI: the waiting
  // specs, 17 minutes in, found their meeting closed and its lobby no longer watched).
  [-10, 120], // in progress (Janus)
  [10, 120], // room open (15 min before start), not started yet (Pexip)
  [25, 30], // room opens in 10 minutes
  [120, 45], // later today
];
/** Today's slots on Pexip (by index); on other days every second meeting. */
const TODAY_PEXIP_SLOTS = new Set([4, 5]);

export function seedMeetings(
  opts: SeedOptions,
  people: { clinicianEmail: string; nurseEmail: string },
): SeedMeeting[] {
  const now = opts.now ?? new Date();
  const nowMinute = new Date(Math.floor(now.getTime() / MIN) * MIN);
  const fromDay = opts.fromDay ?? -1;
  const toDay = opts.toDay ?? 7;
  const out: SeedMeeting[] = [];
  let n = 0;
  for (let day = fromDay; day <= toDay; day++) {
    const slots =
      day === 0
        ? TODAY_SLOTS.map(([offset, dur]) => {
            const start = new Date(nowMinute.getTime() + offset * MIN);
            return [start, new Date(start.getTime() + dur * MIN)] as const;
          })
        : DAY_SLOTS.map(([h, m, dur]) => {
            const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() + day, h, m);
            return [start, new Date(start.getTime() + dur * MIN)] as const;
          });
    for (const [index, [startTime, endTime]] of slots.entries()) {
      n++;
      const kind = KINDS[(n - 1) % KINDS.length] ?? 'Video consultation';
      const patient = PATIENTS[(n - 1) % PATIENTS.length] ?? 'One';
      out.push({
        subject: n % 3 === 0 ? `${kind} (demo ${n}) ${identityCode(n / 3)}` : `${kind} (demo ${n})`,
        description: `Invented appointment with Test Patient ${patient}, for testing only.`,
        startTime,
        endTime,
        // Mostly the demo clinician's; every fourth is the demo nurse's.
        organizerEmail: n % 4 === 0 ? people.nurseEmail : people.clinicianEmail,
        labels: ['sandbox'],
        platform: (day === 0 ? TODAY_PEXIP_SLOTS.has(index) : n % 2 === 0) ? 'pexip' : 'janus',
      });
    }
  }
  return out;
}

/** An invented personal identity number of the right shape: CPR, henkilötunnus, personnummer in turn. */
export function identityCode(i: number): string {
  const dd = String(randomInt(1, 29)).padStart(2, '0');
  const mm = String(randomInt(1, 13)).padStart(2, '0');
  const yy = String(randomInt(30, 100)).padStart(2, '0');
  const date = `${dd}${mm}${yy}`;
  switch (i % 3) {
    case 0: // Danish CPR: DDMMYY-SSSS (no check digit since 2007)
      return `${date}-${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    case 1: {
      // Finnish henkilötunnus: DDMMYY-NNNC, C = DDMMYYNNN mod 31 in 0-9A-Y without G I O Q Z
      const nnn = String(randomInt(2, 900)).padStart(3, '0');
      return `${date}-${nnn}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(`${date}${nnn}`) % 31]}`;
    }
    default: {
      // Swedish personnummer: YYMMDD-NNNC, C the Luhn digit of YYMMDDNNN
      const digits = `${yy}${mm}${dd}${String(randomInt(0, 1000)).padStart(3, '0')}`;
      let sum = 0;
      for (const [k, ch] of [...digits].entries()) {
        const d = Number(ch) * (k % 2 === 0 ? 2 : 1);
        sum += d > 9 ? d - 9 : d;
      }
      return `${digits.slice(0, 6)}-${digits.slice(6)}${(10 - (sum % 10)) % 10}`;
    }
  }
}

/** The invented identity numbers in subjects (for the privacy audit). */
export const IDENTITY_CODE = /\b\d{6}[-+A]\d{3}[0-9A-Y]\b/g;
