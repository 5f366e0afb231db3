import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { earliestPending, findDueMessages } from '../domain/outbound';
import type { Env } from '../env';
import { describeError } from '../log-error';

/** Rows are re-driven only this long after they were due: the queue normally gets there first. */
export const SWEEP_GRACE_MS = 30_000;
/** Never sweep more often than this while something is pending. */
const MIN_INTERVAL_MS = 15_000;
/** Queue sendBatch takes at most 100 messages. */
const SWEEP_BATCH = 100;
/**
 * An alarm this far past its time has not fired and will not: local workerd (wrangler dev) keeps the
 * alarm's time in storage across a restart or reload but forgets to schedule it (workerd#3566).
 */
const STALE_ALARM_MS = 10_000;

/**
 * The outbox's safety net. The local queue lives in memory (a restart loses it) and a waitUntil can be
 * cut short, but a Durable Object alarm is persisted: while any row has a pending next attempt, the
 * alarm keeps firing and re-enqueues rows that are overdue. One instance (`idFromName('outbox')`).
 */
export class OutboxSweeper extends DurableObject<Env> {
  /** Makes sure the alarm fires no later than `at`. */
  async arm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at || isStale(current)) await this.ctx.storage.setAlarm(at);
  }

  /**
   * Called once by each new Worker isolate: after a restart or reload the in-memory queue is gone, and
   * local workerd keeps the stored alarm time without scheduling it. Setting the alarm again (to its own
   * time, or now if that passed; or for the earliest pending row) makes it one that really fires.
   */
  async wake(): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current !== null) return this.ctx.storage.setAlarm(Math.max(current, Date.now()));
    const next = await earliestPending(database(this.env.DB));
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next + SWEEP_GRACE_MS, Date.now()));
  }

  async alarm(): Promise<void> {
    const t = Date.now();
    try {
      const db = database(this.env.DB);
      const due = await findDueMessages(db, t - SWEEP_GRACE_MS, SWEEP_BATCH);
      if (due.length) await this.env.OUTBOX.sendBatch(due.map((row) => ({ body: row })));
      // A full batch means a backlog: come back right away for the rest.
      if (due.length === SWEEP_BATCH) return await this.ctx.storage.setAlarm(t + 1_000);
      const next = await earliestPending(db);
      if (next !== null) await this.ctx.storage.setAlarm(Math.max(next + SWEEP_GRACE_MS, t + MIN_INTERVAL_MS));
    } catch (err) {
      // A throwing alarm is retried only a few times before the runtime drops it; keep the loop alive ourselves.
      console.error('outbox sweep failed; trying again shortly', describeError(err));
      await this.ctx.storage.setAlarm(t + MIN_INTERVAL_MS);
    }
  }
}

function isStale(alarmAt: number): boolean {
  return alarmAt < Date.now() - STALE_ALARM_MS;
}

function sweeper(env: Env) {
  return env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName('outbox'));
}

/** Arms the sweeper for rows stored now (the alarm fires once they would be overdue). */
export function armSweeperVia(env: Env): (dueAt?: number) => Promise<void> {
  return (dueAt = Date.now()) => sweeper(env).arm(dueAt + SWEEP_GRACE_MS);
}

let wokenInThisIsolate = false;

/** The first request or batch an isolate sees wakes the sweeper (see OutboxSweeper.wake); later ones skip it. */
export function wakeSweeperOnce(env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): void {
  if (wokenInThisIsolate) return;
  wokenInThisIsolate = true;
  ctx.waitUntil(sweeper(env).wake().catch((err) => {
    wokenInThisIsolate = false;
    console.error('outbox: could not wake the sweeper', describeError(err));
  }));
}
