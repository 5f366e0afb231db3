import { WINDOW_SIZE } from '../domain/live';

export interface StoredFrame {
  seq: number;
  body: string;
}

/** Pending frames reach storage within this many milliseconds, in one write for all of them. */
export const FLUSH_MS = 100;

/**
 * Seqs are reserved in storage this many at a time, before any of them is handed out: a restart that
 * lost frames still in memory never numbers another frame with one of theirs.
 */
export const SEQ_BLOCK = 1000;

/**
 * A live stream's numbered frames in the object's SQLite storage: only the last `size` are visible (and,
 * give or take a flush, kept). All calls are synchronous, so numbering happens inside one turn of the
 * object.
 *
 * Frames are written in batches, every FLUSH_MS, not on each append: a write in a turn has a fixed cost
 * (in a known client's webhook profile the feed's one-row INSERT was ~0.6–0.9 ms of CPU, and a second
 * row in the same turn added little), and a turn that writes holds its socket sends until the write is
 * durable. What a restart can lose is only frames not flushed yet: the seqs up to the stored reservation
 * are then treated as gone, so a client whose cursor is among them reloads instead of skipping them.
 */
export class FrameWindow {
  private headSeq: number | null = null;
  /** Seqs up to here may have been handed out (stored in frame_meta before they were). */
  private reservedUpTo = 0;
  /** Seqs up to here are not replayable: fallen out, or possibly handed out before a restart lost them. */
  private lostUpTo = 0;
  /** How many seqs the numbering jumped at the restart (none were frames this object still has). */
  private skipped = 0;
  private pending: (StoredFrame & { key: string | null })[] = [];
  private flushScheduled = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly size = WINDOW_SIZE,
    private readonly schedule: (flush: () => void) => void = (flush) => void setTimeout(flush, FLUSH_MS),
  ) {
    sql.exec('CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, key TEXT, body TEXT NOT NULL)');
    // The newest frame of one chat (the inbox feed's key) is looked up after a restart.
    sql.exec('CREATE INDEX IF NOT EXISTS frames_key ON frames (key, seq)');
    sql.exec('CREATE TABLE IF NOT EXISTS frame_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  }

  /** Only this object writes its frames, so the head is read once and then kept. */
  head(): number {
    if (this.headSeq === null) {
      const stored = this.sql.exec<{ s: number | null }>('SELECT max(seq) AS s FROM frames').one().s ?? 0;
      const reserved = this.sql.exec<{ v: number }>("SELECT v FROM frame_meta WHERE k = 'reserved'").toArray()[0]?.v ?? stored;
      // Seqs past the stored frames, up to the reservation, may have gone out before the restart.
      this.reservedUpTo = Math.max(stored, reserved);
      this.lostUpTo = this.reservedUpTo > stored ? this.reservedUpTo : 0;
      this.skipped = this.reservedUpTo - stored;
      this.headSeq = this.reservedUpTo;
    }
    return this.headSeq;
  }

  /** Frames at or before this seq fell out of the window (some may still be stored until the next flush). */
  private fallenUpTo(): number {
    return this.head() - this.size - this.skipped;
  }

  /** Frames at or before this seq are not replayable: fallen out, or next to frames a restart or a failed flush lost. */
  private unseenUpTo(): number {
    return Math.max(this.fallenUpTo(), this.lostUpTo);
  }

  oldest(): number | null {
    const bound = this.unseenUpTo();
    const stored = this.sql.exec<{ s: number | null }>('SELECT min(seq) AS s FROM frames WHERE seq > ?', bound).one().s;
    return stored ?? this.pending.find((f) => f.seq > bound)?.seq ?? null;
  }

  /** Numbers a frame (`body` may embed its seq); it reaches storage with the next flush. */
  append(key: string | null, body: (seq: number) => string): number {
    const seq = this.head() + 1;
    if (seq > this.reservedUpTo) this.reserve(seq - 1 + SEQ_BLOCK);
    this.pending.push({ seq, key, body: body(seq) });
    this.headSeq = seq;
    // A window's worth is the most worth holding unwritten, and the bound if the timer lags.
    if (this.pending.length >= this.size) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flush());
    }
    return seq;
  }

  /**
   * Writes the pending frames in one go, deletes those that fell out of the window, and shrinks the
   * reservation to the head: with nothing left in memory, a restart (waking from hibernation) loses
   * nothing and replays as before. The next burst's first append reserves again (one write per burst).
   */
  flush(): void {
    this.flushScheduled = false;
    const frames = this.pending;
    if (frames.length === 0) return;
    this.pending = [];
    try {
      for (const f of frames) this.sql.exec('INSERT INTO frames (seq, key, body) VALUES (?, ?, ?)', f.seq, f.key, f.body);
      this.sql.exec('DELETE FROM frames WHERE seq <= ?', this.fallenUpTo());
      this.reserve(this.head());
    } catch (error) {
      // These frames went out but may not be stored: a cursor before them reloads rather than skip them.
      this.lostUpTo = Math.max(this.lostUpTo, frames[frames.length - 1].seq);
      console.error('live frames not stored', frames[0].seq, frames[frames.length - 1].seq, error);
    }
  }

  private reserve(upTo: number): void {
    this.sql.exec("INSERT INTO frame_meta (k, v) VALUES ('reserved', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", upTo);
    this.reservedUpTo = upTo;
  }

  /** Frames with after < seq <= upTo, oldest first. */
  range(after: number, upTo: number): StoredFrame[] {
    const from = Math.max(after, this.unseenUpTo());
    const stored = this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM frames WHERE seq > ? AND seq <= ? ORDER BY seq', from, upTo).toArray();
    // Every pending frame is newer than every stored one.
    return stored.concat(this.pending.filter((f) => f.seq > from && f.seq <= upTo).map(({ seq, body }) => ({ seq, body })));
  }

  /**
   * The newest frame of each key in the window: what a keyed stream needs to know after a restart. A
   * stored frame is still its key's last known state when frames after it were lost (not replayable).
   */
  latestByKey(): (StoredFrame & { key: string })[] {
    const latest = new Map<string, StoredFrame & { key: string }>();
    const stored = this.sql.exec<{ key: string; seq: number; body: string }>(
      'SELECT key, seq, body FROM frames f WHERE key IS NOT NULL AND seq > ? AND seq = (SELECT max(seq) FROM frames g WHERE g.key = f.key)',
      this.fallenUpTo(),
    ).toArray();
    for (const f of stored) latest.set(f.key, f);
    for (const f of this.pending) if (f.key !== null && f.seq > this.fallenUpTo()) latest.set(f.key, { key: f.key, seq: f.seq, body: f.body });
    return [...latest.values()];
  }

  /** Whether a frame of this seq is still in the window (newer ones than the window's size ago are). */
  keeps(seq: number): boolean {
    return seq > this.fallenUpTo();
  }
}
