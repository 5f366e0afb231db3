import { WINDOW_SIZE } from '../domain/live';

export interface StoredFrame {
  seq: number;
  body: string;
}

/**
 * Frames that fell out of the window are deleted every this many appends, not on each: one statement
 * less per publish (the inbox feed appends on every webhook). Until then they are stored but unseen.
 */
export const TRIM_EVERY = 64;

/**
 * A live stream's numbered frames in the object's SQLite storage: the sequence survives eviction and
 * restarts because it is the largest stored seq, and only the last `size` frames are visible (and, give
 * or take TRIM_EVERY, kept). All calls are synchronous, so numbering and storing happen inside one turn
 * of the object.
 */
export class FrameWindow {
  constructor(private readonly sql: SqlStorage, private readonly size = WINDOW_SIZE) {
    sql.exec('CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, key TEXT, body TEXT NOT NULL)');
    // The newest frame of one chat (the inbox feed's key) is looked up on every append.
    sql.exec('CREATE INDEX IF NOT EXISTS frames_key ON frames (key, seq)');
  }

  /** Only this object writes its frames, so the head is read once and then kept (one query less per append). */
  private headSeq: number | null = null;

  head(): number {
    this.headSeq ??= this.sql.exec<{ s: number | null }>('SELECT max(seq) AS s FROM frames').one().s ?? 0;
    return this.headSeq;
  }

  /** Frames at or before this seq fell out of the window (some may still be stored until the next trim). */
  private fallenUpTo(): number {
    return this.head() - this.size;
  }

  oldest(): number | null {
    return this.sql.exec<{ s: number | null }>('SELECT min(seq) AS s FROM frames WHERE seq > ?', this.fallenUpTo()).one().s;
  }

  /** Stores a frame under the next seq (`body` may embed it); every TRIM_EVERY appends, deletes the ones that fell out of the window. */
  append(key: string | null, body: (seq: number) => string): number {
    const seq = this.head() + 1;
    this.sql.exec('INSERT INTO frames (seq, key, body) VALUES (?, ?, ?)', seq, key, body(seq));
    if (seq % TRIM_EVERY === 0) this.sql.exec('DELETE FROM frames WHERE seq <= ?', seq - this.size);
    this.headSeq = seq;
    return seq;
  }

  /** Frames with after < seq <= upTo, oldest first. */
  range(after: number, upTo: number): StoredFrame[] {
    const from = Math.max(after, this.fallenUpTo());
    return this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM frames WHERE seq > ? AND seq <= ? ORDER BY seq', from, upTo).toArray();
  }

  /** The newest frame of each key in the window: what a keyed stream needs to know after a restart. */
  latestByKey(): (StoredFrame & { key: string })[] {
    return this.sql.exec<{ key: string; seq: number; body: string }>(
      'SELECT key, seq, body FROM frames f WHERE key IS NOT NULL AND seq > ? AND seq = (SELECT max(seq) FROM frames g WHERE g.key = f.key)',
      this.fallenUpTo(),
    ).toArray();
  }

  /** Whether a frame of this seq is still kept (newer ones than the window's size ago are). */
  keeps(seq: number): boolean {
    return seq > this.fallenUpTo();
  }
}
