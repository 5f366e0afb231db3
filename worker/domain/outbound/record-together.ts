/**
 * Where a delivery's final record goes: its own D1 batch, or one batch shared with the records of other
 * chats' deliveries that finished at about the same time (the queue consumer's). Locally every D1 call
 * is a few milliseconds of one shared database's time, so a queue batch of ten chats' replies paid ten
 * calls to record them after the sends; joined, it pays one.
 */
import { batchAlone, type BatchRunner, type Db, type Write } from '../../data/db';

/** The most statement lists one joined batch carries; the consumer's batches hold at most ten chats. */
const MAX_JOINED = 25;

type Waiting = { statements: Write[]; resolve: (results: unknown[]) => void; reject: (err: unknown) => void };

/**
 * Joins the lists handed in close together into one batch: it runs once `expected` lists are waiting
 * (the chats whose replies were claimed) or `windowMs` after the first one came, whichever is first, so
 * a reply that went out waits at most `windowMs` longer to be recorded. After that each later list runs
 * as soon as it comes, unless others are still expected.
 *
 * A joined batch that fails landed nothing (a batch is one transaction), so each list then runs alone
 * and succeeds or fails on its own: one chat's colliding messenger id never costs another chat its record.
 */
export function batchTogether(db: Db, { expected, windowMs }: { expected: number; windowMs: number }): BatchRunner {
  const alone = batchAlone(db);
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stillExpected = expected;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const group = waiting;
    waiting = [];
    stillExpected = Math.max(0, stillExpected - group.length);
    void runJoined(alone, group);
  };

  return (statements) => new Promise<unknown[]>((resolve, reject) => {
    waiting.push({ statements, resolve, reject });
    if (waiting.length >= Math.max(stillExpected, 1) || waiting.length >= MAX_JOINED) flush();
    else timer ??= setTimeout(flush, windowMs);
  });
}

async function runJoined(alone: BatchRunner, group: Waiting[]): Promise<void> {
  if (group.length > 1) {
    try {
      const results = await alone(group.flatMap((w) => w.statements));
      let at = 0;
      for (const w of group) w.resolve(results.slice(at, (at += w.statements.length)));
      return;
    } catch (err) {
      // Each list on its own, so the failure lands only on the list that causes it.
      console.warn('outbox: a joined record failed; each runs alone', err instanceof Error ? err.message : String(err));
    }
  }
  await Promise.all(group.map((w) => alone(w.statements).then(w.resolve, w.reject)));
}
