import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { loadRotation } from '../domain/routing';
import { nextInRotation, withInFlight, type RotationCursor, type RotationMember } from '../domain/routing';
import type { Env } from '../env';

/** One "who gets this chat" answer, in the order the object handed them out. */
export interface QueueDecision {
  seq: number;
  userId: string | null;
  /** Which D1 read of the queue the decision was made from (requests waiting together share one). */
  read: number;
  at: number;
}

interface Waiter {
  chatKey?: string;
  resolve: (userId: string | null) => void;
  reject: (err: unknown) => void;
}

interface Stored {
  cursor: RotationCursor | null;
  seq: number;
}

const STATE_KEY = 'state';
const LOG_SIZE = 2048;
/**
 * How long a decision may take to show up in D1 as a chat (the webhook stores it right after asking):
 * within this window the cap counts it as in flight unless D1 already shows it.
 */
const IN_FLIGHT_MS = 15_000;

/**
 * One per integration (named by its id): serialises the round-robin "who gets the next chat" decision.
 *
 * The queue is read from D1 fresh rather than cached, because what makes a member eligible (away,
 * users.active, open chats) is changed by routes that never talk to this object. D1 awaits do not hold
 * the object's input gate, so decisions are serialised by hand: requests wait in `waiting`, one drain
 * loop reads the queue once for everyone waiting and decides for them in arrival order, synchronously.
 * Under a burst that is one D1 read per handful of chats; alone it is one per chat.
 */
export class BotQueue extends DurableObject<Env> {
  private state: Stored;
  private waiting: Waiter[] = [];
  private draining = false;
  private reads = 0;
  /** Bounded, in memory: a diagnostic and test hook, not a record (it is lost when the object sleeps). */
  private log: QueueDecision[] = [];
  /** Recent decisions, for the cap's in-flight count. */
  private issued: { userId: string; at: number }[] = [];
  /** Recent answers by chat key: concurrent copies of one webhook get one turn, not one each. */
  private answered = new Map<string, { userId: string | null; at: number }>();

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
  nextManager(integrationId: string, chatKey?: string): Promise<string | null> {
    const answer = new Promise<string | null>((resolve, reject) => this.waiting.push({ chatKey, resolve, reject }));
    if (!this.draining) void this.drain(integrationId);
    return answer;
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
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        const since = Date.now() - IN_FLIGHT_MS;
        let snapshot: Awaited<ReturnType<typeof loadRotation>>;
        try {
          snapshot = await loadRotation(database(this.env.DB), integrationId, since);
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        const read = ++this.reads;
        // From here to the put nothing awaits: no other request can observe a half-made decision.
        this.forgetBefore(since);
        const members = snapshot.cap === null ? snapshot.members : withInFlight(snapshot.members, this.issued.map((d) => d.userId), snapshot.landed);
        const answers = batch.map((w) => {
          const earlier = this.repeated(w.chatKey, members);
          return earlier ? earlier.userId : this.decide(members, snapshot.cap, read, w.chatKey);
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
  private repeated(chatKey: string | undefined, members: RotationMember[]): { userId: string | null } | undefined {
    const earlier = chatKey === undefined ? undefined : this.answered.get(chatKey);
    if (!earlier) return undefined;
    if (earlier.userId !== null && !members.some((m) => m.userId === earlier.userId && m.active)) return undefined;
    return earlier;
  }

  private forgetBefore(since: number): void {
    this.issued = this.issued.filter((d) => d.at >= since);
    for (const [key, a] of this.answered) if (a.at < since) this.answered.delete(key);
  }

  private decide(members: RotationMember[], cap: number | null, read: number, chatKey?: string): string | null {
    const next = nextInRotation(members, cap, this.state.cursor);
    const at = Date.now();
    if (chatKey !== undefined) this.answered.set(chatKey, { userId: next?.userId ?? null, at });
    if (next) {
      // The snapshot is shared by the whole batch: count each chat handed out so the cap holds within it.
      members[next.position].openChats++;
      this.issued.push({ userId: next.userId, at });
    }
    this.state = { cursor: next ?? this.state.cursor, seq: this.state.seq + 1 };
    this.log.push({ seq: this.state.seq, userId: next?.userId ?? null, read, at });
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
    return next?.userId ?? null;
  }
}

/** The ingest dependency: asks the integration's BotQueue object (pass the chat key where known). */
export function pickManagerVia(env: Env): (integrationId: string, chatKey?: string) => Promise<string | null> {
  return (integrationId, chatKey?: string) => env.BOT_QUEUE.get(env.BOT_QUEUE.idFromName(integrationId)).nextManager(integrationId, chatKey);
}
