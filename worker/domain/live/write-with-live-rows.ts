import { batchAlone, type BatchRunner, type Db, type Write } from '../../data/db';
import { liveReadStatements, type LiveRows } from '../../data/live-reads';
import type { LiveChange } from './change';
import { liveReadPlan, planLive } from './frames';

/**
 * Runs `writes` as one D1 batch with, after them, the reads a publish of `changes` would make: the
 * publish is then handed `liveRows` and reads nothing back (one round trip for write and frames).
 * `results` are the writes' own results, in order. `run` sends the batch (the queue consumer's joins
 * several deliveries' batches into one).
 */
export async function writeWithLiveRows(
  db: Db, writes: Write[], changes: LiveChange[],
  run: BatchRunner = batchAlone(db),
): Promise<{ results: unknown[]; liveRows?: LiveRows }> {
  const want = liveReadPlan(planLive(changes));
  const reads = want ? liveReadStatements(db, want) : null;
  const statements = [...writes, ...(reads?.statements ?? [])];
  if (statements.length === 0) return { results: [] };
  const results = await run(statements);
  return { results: results.slice(0, writes.length), ...(reads ? { liveRows: reads.rows(results.slice(writes.length) as unknown[][]) } : {}) };
}
