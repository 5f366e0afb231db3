/**
 * One BotQueue sweep: places the backlog (oldest first, within the cap) and moves the chats whose client
 * waited too long for a reply, then sets the alarm: soon while chats wait unassigned, at the next due
 * chat otherwise. It runs inside the object's decision loop (never beside a new-chat decision) and
 * works on the object's rotation state through `SweepHost`.
 */
import { database } from '../data/db';
import type { LiveChange } from '../domain/live';
import {
  BACKLOG_BATCH, IN_FLIGHT_MS, loadBacklog, loadWaiting, placeBacklog, planMoves, routingMinuteMs, writeMoves, writePlacements,
  type RotationCursor, type RotationMember, type RotationSnapshot,
} from '../domain/routing';
import type { Env } from '../env';
import { publisherVia } from './publish';

/** What one sweep did: backlog chats placed, chats moved for want of a reply. */
export interface SweepReport {
  placed: number;
  moved: number;
}

export interface SweepHost {
  env: Env;
  integrationId: string;
  snapshot: (since: number) => Promise<RotationSnapshot>;
  withInFlight: (snapshot: RotationSnapshot) => RotationMember[];
  forgetBefore: (since: number) => void;
  cursor: () => RotationCursor | null;
  advance: (cursor: RotationCursor | null, decisions: number) => void;
  setAlarm: (at: number) => Promise<void>;
}

/** While chats wait unassigned, look again this often (a cap freed by a close, a person coming online). */
const BACKLOG_RETRY_MS = 60_000;
/** At most this many backlog batches per sweep; the rest in the next one, so new chats are not held up. */
const BATCHES_PER_SWEEP = 10;

/** How many chats a write changed (one `chat_updated` each). */
const chatsIn = (changes: LiveChange[]) => changes.filter((c) => c.kind === 'chat_updated').length;

export async function runSweep(host: SweepHost): Promise<SweepReport> {
  const { integrationId } = host;
  const db = database(host.env.DB);
  const publish = publisherVia(host.env);
  const send = async (changes: LiveChange[]) => { if (changes.length > 0) await publish(changes); };
  const report: SweepReport = { placed: 0, moved: 0 };
  let backlogLeft = false;
  for (let round = 0; round < BATCHES_PER_SWEEP; round++) {
    const since = Date.now() - IN_FLIGHT_MS;
    const [snapshot, backlog] = await Promise.all([host.snapshot(since), loadBacklog(db, integrationId)]);
    host.forgetBefore(since);
    const { placements, cursor } = placeBacklog(host.withInFlight(snapshot), snapshot.cap, host.cursor(), { rule: snapshot.rule }, backlog);
    host.advance(cursor, placements.length);
    const changes = await writePlacements(db, placements, Date.now());
    report.placed += chatsIn(changes);
    await send(changes);
    backlogLeft = backlog.length > placements.length || (backlog.length === BACKLOG_BATCH && round === BATCHES_PER_SWEEP - 1);
    if (placements.length === 0 || backlog.length < BACKLOG_BATCH) break;
  }
  const snapshot = await host.snapshot(Date.now() - IN_FLIGHT_MS);
  let nextDue: number | null = null;
  if (snapshot.reassignAfterMinutes !== null) {
    const now = Date.now();
    const waiting = await loadWaiting(db, integrationId, snapshot.reassignAfterMinutes, { minuteMs: routingMinuteMs(host.env.ROUTING_MINUTE_MS) });
    const due = waiting.filter((w) => w.dueAt <= now);
    const { moves, cursor } = planMoves(host.withInFlight(snapshot), snapshot.cap, host.cursor(), { rule: snapshot.rule }, due);
    host.advance(cursor, moves.length);
    const changes = await writeMoves(db, moves, snapshot.reassignAfterMinutes, now);
    report.moved = chatsIn(changes);
    await send(changes);
    // A due chat nobody else could take is looked at again with the backlog's retry.
    if (due.length > moves.length) backlogLeft = true;
    nextDue = waiting.find((w) => w.dueAt > now)?.dueAt ?? null;
  }
  const at = [backlogLeft ? Date.now() + BACKLOG_RETRY_MS : null, nextDue].filter((x): x is number => x !== null);
  if (at.length > 0) await host.setAlarm(Math.min(...at));
  return report;
}
