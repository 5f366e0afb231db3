/**
 * The frame window in a real Durable Object's SQLite: frames that fell out of it are deleted in chunks
 * (every TRIM_EVERY appends), so storage holds at most size + TRIM_EVERY of them, and none of the
 * fallen-out ones is ever replayed, reported as the oldest or taken for a key's latest.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { FrameWindow, TRIM_EVERY } from '../../worker/objects/frame-window';
import { chatRoom } from '../../worker/objects/chat-room';

describe('the frame window', () => {
  it('shows only the last `size` frames, and storage keeps at most size + TRIM_EVERY of them', async () => {
    const size = 10;
    const stub = chatRoom(env, `frame-window-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_, state) => {
      const window = new FrameWindow(state.storage.sql, size);
      const stored = () => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM frames').one().n;
      let most = 0;
      const head = 3 * TRIM_EVERY + 5;
      for (let i = 1; i <= head; i++) {
        // Key 'fallen' only on the frame just before the window: still stored (the last trim was at
        // 3 × TRIM_EVERY), but outside the window, so never anyone's latest.
        window.append(i === head - size ? 'fallen' : `k${i % 3}`, (seq) => `frame ${seq}`);
        most = Math.max(most, stored());
      }
      expect(state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM frames WHERE key = 'fallen'").one().n).toBe(1);
      expect(window.head()).toBe(head);
      expect(most).toBeLessThanOrEqual(size + TRIM_EVERY);
      // Some fallen-out frames are still stored here (the last trim was a few appends ago)…
      expect(stored()).toBeGreaterThan(size);
      // …but unseen: the window starts size frames back.
      expect(window.oldest()).toBe(head - size + 1);
      expect(window.range(0, head).map((f) => f.seq)).toEqual(Array.from({ length: size }, (_, i) => head - size + 1 + i));
      expect(window.range(head - 3, head).map((f) => f.body)).toEqual([`frame ${head - 2}`, `frame ${head - 1}`, `frame ${head}`]);
      const latest = window.latestByKey();
      expect(latest.map((f) => f.key).sort()).toEqual(['k0', 'k1', 'k2']);
      expect(latest.every((f) => f.seq > head - size)).toBe(true);
      expect(window.keeps(head - size)).toBe(false);
      expect(window.keeps(head - size + 1)).toBe(true);
    });
  });
});
