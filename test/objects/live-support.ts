/**
 * Helpers for the live-update tests: a WebSocket client over the Worker's real fetch handler that
 * records every frame, and a Telegram webhook call that waits for its after-response work (the publish).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import worker from '../../worker/index';
import { BASE } from '../support/http';
import { makeIntegration, makeUser, uniq } from '../support/factory';
import { loginAs } from '../support/http';
import type { Role } from '../../worker/data/schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFrame = { seq: number; type: string; ephemeral?: true } & Record<string, any>;

/** One live socket as a browser tab would hold it. */
export class LiveClient {
  readonly frames: AnyFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private cursor = 0;
  private wake: (() => void) | null = null;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      this.frames.push(JSON.parse(e.data as string) as AnyFrame);
      this.wake?.();
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.wake?.();
    });
  }

  /** Waits for the next frame (after those already taken) that matches; frames before it are passed over. */
  async take(match: (f: AnyFrame) => boolean = () => true, timeoutMs = 15_000): Promise<AnyFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++];
        if (match(f)) return f;
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting; got ${JSON.stringify(this.frames.map((f) => f.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Waits until the server closes the socket. */
  async closedWith(timeoutMs = 15_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.closed;
  }

  /** Durable frames received so far (what a replay must reproduce). */
  durable(): AnyFrame[] {
    return this.frames.filter((f) => !f.ephemeral);
  }

  send(data: unknown) {
    this.ws.send(typeof data === 'string' ? data : JSON.stringify(data));
  }

  close() {
    try {
      this.ws.close(1000, 'bye');
    } catch {
      /* already closed */
    }
  }
}

/** Requests an upgrade; the Response for refusals, a LiveClient (already past `ready`) otherwise. */
export async function connect(path: string, cookie?: string, headers: Record<string, string> = {}): Promise<{ res: Response; client: LiveClient | null }> {
  const res = await exports.default.fetch(new Request(BASE + path, { headers: { upgrade: 'websocket', ...(cookie ? { cookie } : {}), ...headers } }));
  if (!res.webSocket) return { res, client: null };
  res.webSocket.accept();
  const client = new LiveClient(res.webSocket);
  await client.take((f) => f.type === 'ready');
  return { res, client };
}

export async function open(path: string, cookie: string): Promise<LiveClient> {
  const { res, client } = await connect(path, cookie);
  if (!client) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  return client;
}

/** A user of `role` with a logged-in session. */
export async function person(role: Role, name?: string) {
  const user = await makeUser(role, name);
  return { ...user, cookie: await loginAs(user.email, user.password) };
}

/** A Telegram bot with a known webhook secret and no automatic texts. */
export async function telegramBot(over: Parameters<typeof makeIntegration>[0] = {}) {
  return makeIntegration({ channel: 'telegram', webhookSecret: `tg_${uniq()}`, ...over });
}

let updateId = 900_000;

/** A client's text through POST /webhooks/telegram/:id, waiting for the after-response publish. */
export async function clientWrites(bot: { id: string; webhookSecret: string }, clientId: number, text: string): Promise<void> {
  const id = ++updateId;
  const body = JSON.stringify({
    update_id: id,
    message: {
      message_id: id, date: Math.floor(Date.now() / 1000), text,
      from: { id: clientId, is_bot: false, first_name: `Client${clientId}` },
      chat: { id: clientId, type: 'private', first_name: `Client${clientId}` },
    },
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}/webhooks/telegram/${bot.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': bot.webhookSecret }, body }),
    env, ctx,
  );
  await waitOnExecutionContext(ctx);
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}
