/**
 * The booking outbox's rows, in the encrypted schedule database: a write the nurse made
 * stays here until the booking system confirmed or refused it, so neither a lost answer nor
 * a console closed mid-request loses it. The write itself (subject included) is stored as
 * JSON in the same encrypted file as the schedule, and nowhere else.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { BookingWrite, Refusal } from '../booking/outbox/write-types';

/** queued: waiting to be sent; sending: an attempt was under way; refused: for the user to read. */
export type OutboxState = 'queued' | 'sending' | 'refused';

export interface OutboxRow {
  seq: number;
  write: BookingWrite;
  state: OutboxState;
  attempts: number;
  /** Epoch ms before which the row is not sent again. */
  notBefore: number;
  /** An earlier attempt may have reached the booking system (its answer never came). */
  maybeLanded: boolean;
  refusal: Refusal | null;
  createdAt: string;
}

export const OUTBOX_MIGRATION = `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     meeting_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     write_json TEXT NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     not_before INTEGER NOT NULL DEFAULT 0,
     maybe_landed INTEGER NOT NULL DEFAULT 0,
     refusal_json TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX outbox_by_meeting ON outbox(meeting_id, seq);`;

export interface OutboxTable {
  add(write: BookingWrite, now: Date): OutboxRow;
  all(): OutboxRow[];
  get(seq: number): OutboxRow | null;
  markSending(seq: number): void;
  /** Back to the queue after an attempt with an unknown outcome. */
  requeue(seq: number, notBefore: number, maybeLanded: boolean): void;
  refuse(seq: number, refusal: Refusal): void;
  remove(seq: number): void;
  /**
   * At start: a row left `sending` belonged to a console that stopped mid-request. Its
   * write may have landed; it is queued again as such.
   */
  recoverInterrupted(): number;
  /** At start: every queued row is due now (its wait was the last run's back-off). */
  dueNow(): void;
}

interface Row {
  seq: number;
  write_json: string;
  state: OutboxState;
  attempts: number;
  not_before: number;
  maybe_landed: number;
  refusal_json: string | null;
  created_at: string;
}

export function createOutboxTable(db: Database.Database): OutboxTable {
  const insert = db.prepare(
    `INSERT INTO outbox (meeting_id, kind, write_json, state, created_at) VALUES (?, ?, ?, 'queued', ?)`,
  );
  const selectAll = db.prepare<[], Row>('SELECT * FROM outbox ORDER BY seq');
  const selectOne = db.prepare<[number], Row>('SELECT * FROM outbox WHERE seq = ?');
  const sending = db.prepare(`UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE seq = ?`);
  const requeue = db.prepare(`UPDATE outbox SET state = 'queued', not_before = ?, maybe_landed = ? WHERE seq = ?`);
  const refuse = db.prepare(`UPDATE outbox SET state = 'refused', refusal_json = ? WHERE seq = ?`);
  const remove = db.prepare('DELETE FROM outbox WHERE seq = ?');
  const recover = db.prepare(`UPDATE outbox SET state = 'queued', maybe_landed = 1 WHERE state = 'sending'`);
  const due = db.prepare(`UPDATE outbox SET not_before = 0 WHERE state = 'queued'`);

  return {
    add(write, now) {
      const info = insert.run(write.meetingId, write.kind, JSON.stringify(write), now.toISOString());
      return fromRow(selectOne.get(Number(info.lastInsertRowid))!);
    },
    all: () => selectAll.all().map(fromRow),
    get(seq) {
      const row = selectOne.get(seq);
      return row ? fromRow(row) : null;
    },
    markSending: (seq) => void sending.run(seq),
    requeue: (seq, notBefore, maybeLanded) => void requeue.run(notBefore, maybeLanded ? 1 : 0, seq),
    refuse: (seq, refusal) => void refuse.run(JSON.stringify(refusal), seq),
    remove: (seq) => void remove.run(seq),
    recoverInterrupted: () => recover.run().changes,
    dueNow: () => void due.run(),
  };
}

function fromRow(row: Row): OutboxRow {
  return {
    seq: row.seq,
    write: JSON.parse(row.write_json) as BookingWrite,
    state: row.state,
    attempts: row.attempts,
    notBefore: row.not_before,
    maybeLanded: row.maybe_landed === 1,
    refusal: row.refusal_json ? (JSON.parse(row.refusal_json) as Refusal) : null,
    createdAt: row.created_at,
  };
}
