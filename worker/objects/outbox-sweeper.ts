import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { earliestPending, findDueMessages } from '../domain/outbox';
import type { Env } from '../env';

/** Rows are re-driven only this long after they were due: the queue normally gets there first. */
export const SWEEP_GRACE_MS = 30_000;
/** Never sweep more often than this while something is pending. */
const MIN_INTERVAL_MS = 15_000;
/** Queue sendBatch takes at most 100 messages. */
const SWEEP_BATCH = 100;

/**
 * The outbox's safety net. The local queue lives in memory (a restart loses it) and a waitUntil can be
 * cut short, but a Durable Object alarm is persisted: while any row has a pending next attempt, the
 * alarm keeps firing and re-enqueues rows that are overdue. One instance (`idFromName('outbox')`).
 */
export class OutboxSweeper extends DurableObject<Env> {
  /** Makes sure the alarm fires no later than `at`. */
  async arm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  async alarm(): Promise<void> {
    const db = database(this.env.DB);
    const t = Date.now();
    const due = await findDueMessages(db, t - SWEEP_GRACE_MS, SWEEP_BATCH);
    if (due.length) await this.env.OUTBOX.sendBatch(due.map((messageId) => ({ body: { messageId } })));
    // A full batch means a backlog: come back right away for the rest.
    if (due.length === SWEEP_BATCH) return this.ctx.storage.setAlarm(t + 1_000);
    const next = await earliestPending(db);
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next + SWEEP_GRACE_MS, t + MIN_INTERVAL_MS));
  }
}

/** Arms the sweeper for rows stored now (the alarm fires once they would be overdue). */
export function armSweeperVia(env: Env): (dueAt?: number) => Promise<void> {
  return (dueAt = Date.now()) => env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName('outbox')).arm(dueAt + SWEEP_GRACE_MS);
}
