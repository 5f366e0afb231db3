import { WINDOW_SIZE } from '../domain/live';

export interface StoredFrame {
  seq: number;
  body: string;
}

/**
 * A live stream's numbered frames in the object's SQLite storage: the sequence survives eviction and
 * restarts because it is the largest stored seq, and only the last `size` frames are kept. All calls
 * are synchronous, so numbering and storing happen inside one turn of the object.
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

  oldest(): number | null {
    return this.sql.exec<{ s: number | null }>('SELECT min(seq) AS s FROM frames').one().s;
  }

  /** Stores a frame under the next seq (`body` may embed it) and forgets the ones that fell out of the window. */
  append(key: string | null, body: (seq: number) => string): number {
    const seq = this.head() + 1;
    this.sql.exec('INSERT INTO frames (seq, key, body) VALUES (?, ?, ?)', seq, key, body(seq));
    this.sql.exec('DELETE FROM frames WHERE seq <= ?', seq - this.size);
    this.headSeq = seq;
    return seq;
  }

  /** Frames with after < seq <= upTo, oldest first. */
  range(after: number, upTo: number): StoredFrame[] {
    return this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM frames WHERE seq > ? AND seq <= ? ORDER BY seq', after, upTo).toArray();
  }

  /** The newest kept frame of each key: what a keyed stream needs to know after a restart. */
  latestByKey(): (StoredFrame & { key: string })[] {
    return this.sql.exec<{ key: string; seq: number; body: string }>(
      'SELECT key, seq, body FROM frames f WHERE key IS NOT NULL AND seq = (SELECT max(seq) FROM frames g WHERE g.key = f.key)',
    ).toArray();
  }

  /** Whether a frame of this seq is still kept (newer ones than the window's size ago are). */
  keeps(seq: number): boolean {
    return seq > this.head() - this.size;
  }
}
