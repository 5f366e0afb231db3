import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { earliestPending, findDueMessages } from '../domain/outbound';
import type { Env } from '../env';
import { describeError } from '../log-error';
import { singletonId } from './singleton-id';

/** Rows are re-driven only this long after they were due: the queue normally gets there first. */
export const SWEEP_GRACE_MS = 30_000;
/** Never sweep more often than this while something is pending. */
const MIN_INTERVAL_MS = 15_000;
/** Queue sendBatch takes at most 100 messages. */
const SWEEP_BATCH = 100;
/**
 * Every arm keeps the sweeper awake this long: while awake, the alarm comes back at least every
 * HEARTBEAT_MS even with nothing pending, so a row stored in that time is looked at within a heartbeat
 * although nobody armed for it. That lets webhooks skip the arm call (one request to this single object
 * per reply, before answering) while this isolate knows the sweeper is awake (keepSweeperAwake).
 */
export const KEEP_AWAKE_MS = 10 * 60_000;
export const HEARTBEAT_MS = 30_000;
const AWAKE_KEY = 'awakeUntil';

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
  /**
   * Makes sure the alarm fires no later than `at`, and keeps the sweeper awake; returns until when.
   * Awake means an alarm within a heartbeat, so a far `at` (a retry hours away) still gets one soon:
   * isolates that skip arming count on it.
   */
  async arm(at: number): Promise<number> {
    const now = Date.now();
    const awakeUntil = now + KEEP_AWAKE_MS;
    this.ctx.storage.kv.put(AWAKE_KEY, awakeUntil);
    const by = Math.min(at, now + HEARTBEAT_MS);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > by || isStale(current)) await this.ctx.storage.setAlarm(by);
    return awakeUntil;
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
      const forPending = next === null ? Infinity : Math.max(next + SWEEP_GRACE_MS, t + MIN_INTERVAL_MS);
      const heartbeat = (this.ctx.storage.kv.get<number>(AWAKE_KEY) ?? 0) > t ? t + HEARTBEAT_MS : Infinity;
      const at = Math.min(forPending, heartbeat);
      if (at !== Infinity) await this.ctx.storage.setAlarm(at);
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
  return env.OUTBOX_SWEEPER.get(singletonId(env.OUTBOX_SWEEPER, 'outbox'));
}

/** Arms the sweeper for rows stored now (the alarm fires once they would be overdue). */
export function armSweeperVia(env: Env): (dueAt?: number) => Promise<void> {
  return async (dueAt = Date.now()) => {
    awake.armed(await sweeper(env).arm(dueAt + SWEEP_GRACE_MS));
  };
}

/**
 * What this isolate knows of the sweeper's awake time. Arming is needed only when the sweeper might
 * fall asleep before a heartbeat after now: a row stored now is then seen by an alarm within
 * HEARTBEAT_MS, and swept once overdue like any other. The margin covers clocks and slow stores.
 */
export function sweeperWatch(margin = HEARTBEAT_MS) {
  let awakeUntil = 0;
  return {
    needsArm: (now = Date.now()) => now + HEARTBEAT_MS + margin >= awakeUntil,
    armed: (until: number) => { awakeUntil = Math.max(awakeUntil, until); },
  };
}

const awake = sweeperWatch();

/**
 * Rows with a next attempt were stored: make sure the sweeper will see them even if the queue loses
 * them. One request to the sweeper every few minutes per isolate instead of one per webhook.
 */
export async function keepSweeperAwake(env: Env): Promise<void> {
  if (awake.needsArm()) await armSweeperVia(env)();
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
