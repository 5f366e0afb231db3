/**
 * The frame window in a real Durable Object's SQLite. Frames reach storage in batches (a flush), and a
 * flush deletes those that fell out of the window, so storage holds at most size + one batch; none of the
 * fallen-out ones is ever replayed, reported as the oldest or taken for a key's latest, stored or not.
 * A restart (waking from hibernation) after a flush replays as before. One that lost frames not flushed
 * yet never numbers a frame with one of their seqs again, and a cursor among them gets nothing to replay
 * (its client reloads); so does a cursor before frames whose flush failed.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { replayFrom } from '../../worker/domain/live';
import { FrameWindow, SEQ_BLOCK } from '../../worker/objects/frame-window';
import { chatRoom } from '../../worker/objects/chat-room';

const BATCH = 20;
/** A window whose flushes the test runs itself. */
const manual = (sql: SqlStorage, size: number) => new FrameWindow(sql, size, () => undefined);

describe('the frame window', () => {
  it('shows only the last `size` frames, stored or pending, and storage keeps at most size + one batch of them', async () => {
    const size = 10;
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const window = manual(state.storage.sql, size);
      const stored = () => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM frames').one().n;
      let most = 0;
      const head = 3 * BATCH + 5;
      for (let i = 1; i <= head; i++) {
        // Key 'fallen' only on a frame just before the window: stored by the last flush, but outside
        // the window, so never anyone's latest.
        window.append(i === head - size ? 'fallen' : `k${i % 3}`, (seq) => `frame ${seq}`);
        if (i % BATCH === 0) window.flush();
        most = Math.max(most, stored());
      }
      expect(state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM frames WHERE key = 'fallen'").one().n).toBe(1);
      expect(window.head()).toBe(head);
      expect(most).toBeLessThanOrEqual(size + BATCH);
      // The newest frames are not stored yet (no flush since)…
      expect(state.storage.sql.exec<{ s: number }>('SELECT max(seq) AS s FROM frames').one().s).toBe(3 * BATCH);
      // …but they are replayed all the same, after the stored ones.
      expect(window.oldest()).toBe(head - size + 1);
      expect(window.range(0, head).map((f) => f.seq)).toEqual(Array.from({ length: size }, (_, i) => head - size + 1 + i));
      expect(window.range(head - 3, head).map((f) => f.body)).toEqual([`frame ${head - 2}`, `frame ${head - 1}`, `frame ${head}`]);
      const latest = window.latestByKey();
      expect(latest.map((f) => f.key).sort()).toEqual(['k0', 'k1', 'k2']);
      expect(latest.every((f) => f.seq > head - size)).toBe(true);
      expect(window.keeps(head - size)).toBe(false);
      expect(window.keeps(head - size + 1)).toBe(true);

      window.flush();
      expect(stored()).toBe(size);
      expect(window.range(0, head).map((f) => f.seq)).toEqual(Array.from({ length: size }, (_, i) => head - size + 1 + i));
    });
  });

  it('after a restart, frames that were flushed replay, and seqs that may have gone out unflushed are never reused', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const before = manual(state.storage.sql, 50);
      for (let i = 1; i <= 5; i++) before.append('k', (seq) => `frame ${seq}`);
      before.flush();
      for (let i = 6; i <= 8; i++) before.append('k', (seq) => `frame ${seq}`); // sent, then lost by the restart
      expect(before.head()).toBe(8);

      const after = manual(state.storage.sql, 50); // what the object's next instance reads
      // 6 was reserved with the seqs after it when the flush had shrunk the reservation to 5.
      expect(after.head()).toBe(5 + SEQ_BLOCK);
      const next = after.append('k', (seq) => `frame ${seq}`);
      expect(next).toBe(5 + SEQ_BLOCK + 1);
      // A client that saw frame 7 must not be handed frame 1001 as if 8…1000 were nothing: it reloads.
      expect(replayFrom(7, after.head(), after.oldest())).toEqual({ kind: 'reload' });
      // One that saw the newest frame goes on.
      expect(replayFrom(next, after.head(), after.oldest())).toEqual({ kind: 'live' });
      expect(after.range(0, next).map((f) => f.seq)).toEqual([next]);
    });
  });

  it('a restart after everything was flushed replays the stored frames and numbers on from the last', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const before = manual(state.storage.sql, 50);
      for (let i = 1; i <= 5; i++) before.append('k', (seq) => `frame ${seq}`);
      before.flush();
      const after = manual(state.storage.sql, 50); // e.g. waking from hibernation
      expect(after.head()).toBe(5);
      expect(replayFrom(2, after.head(), after.oldest())).toEqual({ kind: 'replay', after: 2 });
      expect(after.range(2, 5).map((f) => f.body)).toEqual(['frame 3', 'frame 4', 'frame 5']);
      expect(after.latestByKey().map((f) => f.seq)).toEqual([5]);
      expect(after.append('k', (seq) => `frame ${seq}`)).toBe(6);
    });
  });

  it('a chat\'s latest frame stored before a restart that lost others is still its latest state', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const before = manual(state.storage.sql, 50);
      before.append('a', (seq) => `frame ${seq}`);
      before.append('b', (seq) => `frame ${seq}`);
      before.flush();
      before.append('b', (seq) => `frame ${seq}`); // lost
      const after = manual(state.storage.sql, 50);
      // Not replayable (a cursor before the loss reloads), but still each chat's last known state.
      expect(after.oldest()).toBeNull();
      expect(after.latestByKey().map((f) => [f.key, f.seq]).sort()).toEqual([['a', 1], ['b', 2]]);
      expect(after.keeps(2)).toBe(true);
    });
  });

  it('a flush that fails leaves its frames unreplayable, never skipped in a replay', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const window = manual(state.storage.sql, 50);
      for (let i = 1; i <= 3; i++) window.append('k', (seq) => `frame ${seq}`);
      window.flush();
      window.append('k', (seq) => `frame ${seq}`);
      state.storage.sql.exec('INSERT INTO frames (seq, key, body) VALUES (5, NULL, ?)', 'in the way'); // the next flush hits it
      window.append('k', (seq) => `frame ${seq}`);
      window.flush();
      window.append('k', (seq) => `frame ${seq}`);
      expect(replayFrom(3, window.head(), window.oldest())).toEqual({ kind: 'reload' });
      expect(replayFrom(5, window.head(), window.oldest())).toEqual({ kind: 'replay', after: 5 });
      expect(window.range(5, window.head()).map((f) => f.body)).toEqual(['frame 6']);
    });
  });

  it('a restart with nothing lost keeps the stored frames and their numbering', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      // Storage written before frames were batched: frames, and no reservation.
      state.storage.sql.exec('CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, key TEXT, body TEXT NOT NULL)');
      for (let seq = 1; seq <= 4; seq++) state.storage.sql.exec('INSERT INTO frames (seq, key, body) VALUES (?, ?, ?)', seq, 'k', `frame ${seq}`);
      const window = manual(state.storage.sql, 50);
      expect(window.head()).toBe(4);
      expect(replayFrom(2, window.head(), window.oldest())).toEqual({ kind: 'replay', after: 2 });
      expect(window.range(2, 4).map((f) => f.body)).toEqual(['frame 3', 'frame 4']);
      expect(window.append('k', (seq) => `frame ${seq}`)).toBe(5);
    });
  });

  it('never holds more than a window of frames unwritten, even when its timer never runs', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const window = manual(state.storage.sql, 10);
      for (let i = 1; i <= 25; i++) window.append('k', (seq) => `frame ${seq}`);
      const stored = state.storage.sql.exec<{ s: number }>('SELECT max(seq) AS s FROM frames').one().s;
      expect(stored).toBe(20);
      expect(window.range(0, 25).map((f) => f.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    });
  });

  it('schedules one flush for the appends of a burst, and the flush stores them all', async () => {
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const flushes: (() => void)[] = [];
      const window = new FrameWindow(state.storage.sql, 50, (flush) => flushes.push(flush));
      for (let i = 0; i < 7; i++) window.append(null, (seq) => `frame ${seq}`);
      expect(flushes).toHaveLength(1);
      flushes[0]();
      expect(state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM frames').one().n).toBe(7);
      window.append(null, (seq) => `frame ${seq}`);
      expect(flushes).toHaveLength(2);
    });
  });
});
