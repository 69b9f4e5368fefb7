/**
 * "Running late": a short message to a meeting's waiting guests, written here in main in the
 * language of their invitation (else the console's), sent
 *   - by SMS to each number this console sent the meeting's invitation to (kept encrypted in
 *     the schedule database for the meeting's day only: main/cache/invited-numbers-table.ts);
 *   - inside the room where the server lets a host message a waiting guest: Janus through the
 *     room guard's lobby notice (waiting-watch.ts). Pexip: not in the room. Its Management API
 *     status account reads only, a host token would start the conference (and let the waiting
 *     guests in), and Pexip does not document that a guest in the waiting room receives a
 *     participant chat message; so nothing is sent there rather than something that may not arrive.
 * The text names nobody (no patient, no clinician, no subject). Nothing of it (number, text)
 * is logged: only counts.
 */
import type { BookedMeeting } from '../../main/booking/booking-source';
import type { Logger } from '../../main/log/logger';
import type { InvitedLanguage, InvitedNumbersTable } from '../../main/cache/invited-numbers-table';
import type { LateResult } from '../common/call-contract';
import type { SmsSender } from './sms-gateway';

export type LateLanguage = InvitedLanguage;

const texts: Record<LateLanguage, (minutes: number) => string> = {
  en: (m) => `Your video appointment will start about ${m} minutes late. Please stay in the waiting room: you will be let in as soon as possible.`,
  fi: (m) => `Videovastaanottosi alkaa noin ${m} minuuttia myöhässä. Pysy odotustilassa: sinut päästetään sisään mahdollisimman pian.`,
  sv: (m) => `Ditt videobesök börjar cirka ${m} minuter senare. Stanna kvar i väntrummet: du släpps in så snart som möjligt.`,
  da: (m) => `Din videokonsultation starter cirka ${m} minutter senere. Bliv venligst i venteværelset: du bliver lukket ind hurtigst muligt.`,
};

/** The message, in one of the four languages. */
export function lateText(lang: LateLanguage, minutes: number): string {
  return texts[lang](minutes);
}

export interface RunningLate {
  send(meeting: BookedMeeting, minutes: number, consoleLang: LateLanguage): Promise<LateResult>;
}

export function createRunningLate(opts: {
  numbers: () => InvitedNumbersTable;
  sms: SmsSender;
  /** Tells the meeting's waiting guests in the room: how many it reached; null where the server cannot. */
  notifyRoom: (meeting: BookedMeeting, text: string) => Promise<number | null>;
  /** Today, YYYY-MM-DD, local: numbers of earlier days are gone. */
  today: () => string;
  log: Logger;
}): RunningLate {
  return {
    async send(meeting, minutes, consoleLang) {
      const invited = opts.numbers().forMeeting(meeting.id, opts.today());
      let sms = 0;
      let smsFailed = 0;
      for (const { number, lang } of invited) {
        try {
          await opts.sms.send({ to: number, text: lateText(lang, minutes) });
          sms++;
        } catch {
          smsFailed++;
        }
      }
      // In the room: the invitation's language where one is known (the first invited), else the console's.
      let room: LateResult['room'];
      try {
        const reached = await opts.notifyRoom(meeting, lateText(invited[0]?.lang ?? consoleLang, minutes));
        room = reached === null ? 'unsupported' : reached === 0 ? 'nobody-waiting' : 'sent';
      } catch {
        room = 'failed';
      }
      opts.log.info(`late: running late told (${sms} text messages sent, ${smsFailed} failed; in the room: ${room})`);
      return { sms, smsFailed, room };
    },
  };
}
