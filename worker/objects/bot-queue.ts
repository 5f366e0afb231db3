import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { IN_FLIGHT_MS, loadRotation, mayTake, routingMinuteMs, type RotationRead, type RotationSnapshot } from '../domain/routing';
import { nextInRotation, withInFlight, type RotationCursor, type RotationMember } from '../domain/routing';
import type { AssignmentRule } from '../data/schema';
import type { Env } from '../env';
import { preferredMembers, withPresence } from './queue-reads';
import type { QueueDecision, Stored, Sweep, Waiter } from './bot-queue-state';
import { runSweep, type SweepReport } from './queue-sweep';

export type { QueueDecision } from './bot-queue-state';
export type { SweepReport } from './queue-sweep';

const STATE_KEY = 'state';
const LOG_SIZE = 2048;

/**
 * One per integration (named by its id): serialises the round-robin "who gets the next chat" decision.
 *
 * The queue is read from D1 fresh rather than cached, because what makes a member eligible (status,
 * users.active, open chats) is changed by routes that never talk to this object. The same loop also
 * runs sweeps (from the alarm): backlog placements and no-reply moves, in turn with new chats, so the
 * rotation never hands one turn out twice. D1 awaits do not hold the object's input gate, so
 * decisions are serialised by hand: requests wait in `waiting`, one drain loop reads the queue once for
 * everyone waiting and decides for them in arrival order, synchronously.
 * Under a burst that is one D1 read per handful of chats; alone it is one per chat.
 */
export class BotQueue extends DurableObject<Env> {
  private state: Stored;
  private waiting: Waiter[] = [];
  private draining = false;
  /** D1 reads of the queue this instance made (a snapshot a webhook handed over is not one). */
  private reads = 0;
  private snapshots = 0;
  /** Bounded, in memory: a diagnostic and test hook, not a record (it is lost when the object sleeps). */
  private log: QueueDecision[] = [];
  /** Recent decisions, for the cap's in-flight count. */
  private issued: { userId: string; at: number }[] = [];
  /** Recent answers by chat key: concurrent copies of one webhook get one turn, not one each. */
  private answered = new Map<string, { userId: string | null; at: number }>();
  private sweeps: Sweep[] = [];
  private lastSweep: SweepReport = { placed: 0, moved: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.state = ctx.storage.kv.get<Stored>(STATE_KEY) ?? { cursor: null, seq: 0 };
  }

  /**
   * The manager who gets the next new chat, or null to leave it unassigned. With `chatKey` (the
   * client's chat id in the messenger), asking again for the same chat within the in-flight window
   * returns the same answer instead of taking another turn: a retried or duplicated webhook that
   * lost the race to store the chat must not make the rotation skip someone.
   */
  nextManager(integrationId: string, chatKey?: string, prefer?: string | null, given?: RotationRead): Promise<string | null> {
    this.remember(integrationId);
    const answer = new Promise<string | null>((resolve, reject) => this.waiting.push({ chatKey, prefer: prefer ?? undefined, given, resolve, reject }));
    if (!this.draining) void this.drain(integrationId);
    return answer;
  }

  /**
   * Someone may have become able to take chats, or the bot's settings changed: look at the backlog and
   * the waiting clients now (through the alarm, so a failed sweep is retried by the runtime).
   */
  async wake(integrationId: string): Promise<void> {
    this.remember(integrationId);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * A client wrote in one of this bot's chats: when the bot has a reply timer, make sure the alarm
   * rings by the time that message would be due (the sweep then reads what is really due).
   */
  async clientWrote(integrationId: string): Promise<void> {
    this.remember(integrationId);
    const minutes = this.state.reassignAfterMinutes;
    if (!minutes) return;
    const due = Date.now() + minutes * routingMinuteMs(this.env.ROUTING_MINUTE_MS);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > due) await this.ctx.storage.setAlarm(due);
  }

  /** Runs a sweep now, in turn with new-chat decisions (tests and the alarm). */
  sweepNow(integrationId: string): Promise<SweepReport> {
    this.remember(integrationId);
    const done = new Promise<void>((resolve, reject) => this.sweeps.push({ resolve, reject }));
    if (!this.draining) void this.drain(integrationId);
    return done.then(() => this.lastSweep);
  }

  async alarm(): Promise<void> {
    const integrationId = this.state.integrationId;
    if (!integrationId) return;
    await this.sweepNow(integrationId);
  }

  private remember(integrationId: string) {
    if (this.state.integrationId === integrationId) return;
    this.state = { ...this.state, integrationId };
    this.ctx.storage.kv.put(STATE_KEY, this.state);
  }

  /** The most recent decisions, oldest first. */
  recentDecisions(limit = LOG_SIZE): QueueDecision[] {
    return this.log.slice(-limit);
  }

  /** Where the rotation stands and how many D1 reads this instance made. */
  status(): { cursor: RotationCursor | null; decisions: number; reads: number } {
    return { cursor: this.state.cursor, decisions: this.state.seq, reads: this.reads };
  }

  private async drain(integrationId: string): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0 || this.sweeps.length > 0) {
        if (this.waiting.length === 0) {
          const sweeps = this.sweeps.splice(0);
          try {
            this.lastSweep = await this.sweep(integrationId);
            for (const s of sweeps) s.resolve();
          } catch (err) {
            for (const s of sweeps) s.reject(err);
          }
          continue;
        }
        const batch = this.waiting.splice(0);
        // A new chat's webhook read the queue with the client's missing chat, moments ago: the newest
        // such read decides for the whole batch, and its `since` bounds the decisions counted in flight.
        const given = newestGiven(batch);
        const since = given?.since ?? Date.now() - IN_FLIGHT_MS;
        let snapshot: RotationSnapshot;
        let preferred: Map<string, RotationMember>;
        try {
          snapshot = await this.snapshot(integrationId, since, given?.snapshot);
          preferred = await preferredMembers(this.env, snapshot, [...new Set(batch.map((w) => w.prefer).filter((id): id is string => !!id))]);
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        const read = ++this.snapshots;
        // From here to the put nothing awaits: no other request can observe a half-made decision.
        this.forgetBefore(since);
        const members = this.withInFlight(snapshot);
        const answers = batch.map((w) => {
          const earlier = this.repeated(w.chatKey, members, snapshot.rule);
          if (earlier) return earlier.userId;
          const back = w.prefer ? preferred.get(w.prefer) : undefined;
          if (back && mayTake(back, snapshot.rule)) return this.record(w.prefer!, read, w.chatKey);
          return this.decide(members, snapshot, read, w.chatKey);
        });
        // The output gate holds these answers until the cursor is durable, so a crash cannot hand
        // the same turn out twice.
        this.ctx.storage.kv.put(STATE_KEY, this.state);
        batch.forEach((w, i) => w.resolve(answers[i]));
      }
    } finally {
      this.draining = false;
    }
  }

  /** The earlier answer for this chat, while it is recent and that manager is still active. */
  private repeated(chatKey: string | undefined, members: RotationMember[], rule: AssignmentRule): { userId: string | null } | undefined {
    const earlier = chatKey === undefined ? undefined : this.answered.get(chatKey);
    if (!earlier) return undefined;
    if (earlier.userId !== null && !members.some((m) => m.userId === earlier.userId && mayTake(m, rule))) return undefined;
    return earlier;
  }

  private forgetBefore(since: number): void {
    this.issued = this.issued.filter((d) => d.at >= since);
    for (const [key, a] of this.answered) if (a.at < since) this.answered.delete(key);
  }

  /** One sweep, with this object's rotation state (see queue-sweep.ts). */
  private sweep(integrationId: string): Promise<SweepReport> {
    return runSweep({
      env: this.env,
      integrationId,
      snapshot: (since) => this.snapshot(integrationId, since),
      withInFlight: (snapshot) => this.withInFlight(snapshot),
      forgetBefore: (since) => this.forgetBefore(since),
      cursor: () => this.state.cursor,
      advance: (cursor, n) => this.advance(cursor, n),
      setAlarm: (at) => this.ctx.storage.setAlarm(at),
    });
  }

  /** The queue as D1 has it now (or as the caller read it), with who is online when the bot's rule asks for it. */
  private async snapshot(integrationId: string, since: number, given?: RotationSnapshot): Promise<RotationSnapshot> {
    if (!given) this.reads++;
    const snapshot = given ?? await loadRotation(database(this.env.DB), integrationId, since);
    if (snapshot.reassignAfterMinutes !== (this.state.reassignAfterMinutes ?? null)) {
      this.state = { ...this.state, reassignAfterMinutes: snapshot.reassignAfterMinutes };
      this.ctx.storage.kv.put(STATE_KEY, this.state);
    }
    return withPresence(this.env, snapshot);
  }

  /** Call after forgetBefore(the snapshot's since): the decisions left are those its `landed` is counted over. */
  private withInFlight(snapshot: RotationSnapshot): RotationMember[] {
    return snapshot.cap === null ? snapshot.members.map((m) => ({ ...m })) : withInFlight(snapshot.members, this.issued.map((d) => d.userId), snapshot.landed);
  }

  private advance(cursor: RotationCursor | null, decisions: number) {
    if (decisions === 0) return;
    this.state = { ...this.state, cursor, seq: this.state.seq + decisions };
    this.ctx.storage.kv.put(STATE_KEY, this.state);
  }

  /** Gives a reopened chat back to `userId` without moving the rotation (it was their chat). */
  private record(userId: string, read: number, chatKey?: string): string {
    const at = Date.now();
    if (chatKey !== undefined) this.answered.set(chatKey, { userId, at });
    this.issued.push({ userId, at });
    this.logDecision({ seq: this.state.seq, userId, read, at });
    return userId;
  }

  private decide(members: RotationMember[], snapshot: RotationSnapshot, read: number, chatKey?: string): string | null {
    const next = nextInRotation(members, snapshot.cap, this.state.cursor, { rule: snapshot.rule });
    const at = Date.now();
    if (chatKey !== undefined) this.answered.set(chatKey, { userId: next?.userId ?? null, at });
    if (next) {
      // The snapshot is shared by the whole batch: count each chat handed out so the cap holds within it.
      members[next.position].openChats++;
      this.issued.push({ userId: next.userId, at });
    }
    this.state = { ...this.state, cursor: next ?? this.state.cursor, seq: this.state.seq + 1 };
    this.logDecision({ seq: this.state.seq, userId: next?.userId ?? null, read, at });
    return next?.userId ?? null;
  }

  /** The decision log is bounded: a reopened chat's hand-back is logged too, and must not grow it forever. */
  private logDecision(d: QueueDecision): void {
    this.log.push(d);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }
}

/** The most recent queue read handed over by the waiters, if any handed one over. */
function newestGiven(batch: Waiter[]): RotationRead | undefined {
  let newest: RotationRead | undefined;
  for (const w of batch) if (w.given && (!newest || w.given.since > newest.since)) newest = w.given;
  return newest;
}
