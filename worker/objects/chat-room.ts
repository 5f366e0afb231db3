import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { isOlder, type RoomPush, type Stamp } from '../domain/live';
import { mayType, maySee } from '../domain/access';
import { parseAfter, replayFrom } from '../domain/live';
import type { Env } from '../env';
import type { ChatFrame, LiveChatState, PresentUser } from '../shared/live';
import { FrameWindow } from './frame-window';
import { admitFrame, answerClose, checkDue, endSocket, recheckSockets, RECHECK_MS, refuseSocket, send, setState, socketTags, stateOf, tooManySockets, viewerFrom } from './live-sockets';

/** The Worker's hand-over of the chat facts it checked at connect time. */
export const ROOM_HEADER = 'x-ponte-room';
const TYPING_EVERY_MS = 1_000;

/** The freshest chat facts this room has seen: observers decide who may stay. */
interface Latest {
  stamp: Stamp | null;
  observerIds: string[];
  chat: LiveChatState | null;
}

/**
 * One per chat (idFromName(chatId)): the sockets of everyone viewing that chat, hibernated between
 * frames. Numbers and keeps the chat's frames for catch-up, relays typing, and tells viewers who else
 * is there. Access is per chat, so every viewer sees every durable frame.
 */
export class ChatRoom extends DurableObject<Env> {
  // Made on first use: most rooms a webhook publishes to were never opened and return at once
  // (see publish), and creating the frames table on every such wake-up was most of their cost.
  private frames: FrameWindow | null = null;
  private sent: number | null = null;
  private checking: Promise<void> | null = null;
  private readonly lastTyping = new WeakMap<WebSocket, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /**
   * What was sent is learnt when the window is first opened, before anything is appended to it: a room
   * woken from hibernation that read its head only at the first flush took the frame it had just stored
   * as sent, and its sockets never got it (a reply retried after a while stayed "sending" on screen).
   */
  private get window(): FrameWindow {
    if (!this.frames) {
      this.frames = new FrameWindow(this.ctx.storage.sql);
      this.sent ??= this.frames.head();
    }
    return this.frames;
  }

  /** Frames up to here went out to every socket. */
  private get sentUpTo(): number {
    return this.sent ?? this.window.head();
  }

  private set sentUpTo(seq: number) {
    this.sent = seq;
  }

  async fetch(request: Request): Promise<Response> {
    const viewer = viewerFrom(request);
    const after = parseAfter(new URL(request.url).searchParams.get('after'));
    const room = parseRoom(request.headers.get(ROOM_HEADER));
    if (!viewer || !room || after === undefined || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Bad live request', { status: 400 });
    const crowded = tooManySockets(this.ctx, viewer);
    if (crowded) return refuseSocket(crowded);
    // From the first viewer on, frames are kept: a viewer that drops out must find what it missed.
    if (!this.ctx.storage.kv.get('viewed')) this.ctx.storage.kv.put('viewed', true);
    if (!this.latest()) this.ctx.storage.kv.put<Latest>('latest', { stamp: null, observerIds: room.observerIds, chat: null });

    const before = this.present();
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, socketTags(viewer));
    setState(server, { viewer, checkedAt: Date.now(), canType: mayType(viewer, this.latest()!.observerIds) });
    const plan = replayFrom(after, this.sentUpTo, this.window.oldest());
    if (plan.kind === 'reload') send(server, this.ephemeral({ type: 'reload' }));
    if (plan.kind === 'replay') for (const f of this.window.range(plan.after, this.sentUpTo)) send(server, f.body);
    send(server, this.ephemeral({ type: 'ready' }));
    // The whole list to the newcomer only; the others hear about it only if this is the user's first tab.
    send(server, this.ephemeral({ type: 'presence', users: listOf(this.present()) }));
    this.announce(before, this.present(), server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Stores and fans out one publish's frames; observers no longer observing are shown the door first. */
  async publish(push: RoomPush): Promise<void> {
    // Nobody ever opened this chat, so nobody holds a cursor into it: there is nothing to keep.
    if (!this.ctx.storage.kv.get('viewed')) return;
    const latest = this.latest();
    const fresh = !latest?.stamp || !push.stamp || !isOlder(push.stamp, latest.stamp);
    const chatFrame = push.frames.find((f) => f.type === 'chat');
    const known: Latest = fresh
      ? { stamp: push.stamp ?? latest?.stamp ?? null, observerIds: push.observerIds, chat: chatFrame?.chat ?? latest?.chat ?? null }
      : latest!;
    if (fresh) this.ctx.storage.kv.put('latest', known);
    for (const f of push.frames) {
      // A snapshot that lost a race to a fresher one must not undo it in the header.
      const body = f.type === 'chat' && !fresh && known.chat ? { ...f, chat: known.chat } : f;
      this.window.append(null, (seq) => JSON.stringify({ seq, ...body }));
    }
    await this.recheckIfDue();
    const before = this.present();
    this.enforceAccess(known.observerIds);
    this.flush();
    this.announce(before);
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!admitFrame(ws, message)) return;
    let frame: { type?: unknown } | null = null;
    try {
      frame = typeof message === 'string' ? (JSON.parse(message) as { type?: unknown }) : null;
    } catch {
      /* answered below */
    }
    if (frame?.type !== 'typing') {
      send(ws, this.ephemeral({ type: 'error', code: 'bad_frame', message: 'Expected {"type":"typing"}' }));
      return;
    }
    if ((stateOf(ws)?.checkedAt ?? 0) < Date.now() - RECHECK_MS.room) {
      await this.recheckIfDue();
      const before = this.present();
      this.enforceAccess(this.latest()?.observerIds ?? []);
      this.announce(before);
    }
    const s = stateOf(ws);
    if (!s || ws.readyState !== WebSocket.READY_STATE_OPEN) return;
    if (!s.canType) {
      send(ws, this.ephemeral({ type: 'error', code: 'forbidden', message: 'Read-only viewers cannot type in this chat' }));
      return;
    }
    const now = Date.now();
    if (now - (this.lastTyping.get(ws) ?? 0) < TYPING_EVERY_MS) return;
    this.lastTyping.set(ws, now);
    const data = this.ephemeral({ type: 'typing', userId: s.viewer.id, name: s.viewer.name });
    for (const other of this.open()) if (stateOf(other)?.viewer.id !== s.viewer.id) send(other, data);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    answerClose(ws, code, reason);
    // A socket the server closed was announced when it was closed.
    const s = stateOf(ws);
    if (!s || s.ended) return;
    const now = this.present(ws);
    const before = new Map(now).set(s.viewer.id, s.viewer.name);
    this.announce(before, now, ws);
  }

  private latest(): Latest | undefined {
    return this.ctx.storage.kv.get<Latest>('latest');
  }

  /** Closes the sockets of viewers who may no longer see this chat; refreshes who may type. */
  private enforceAccess(observerIds: string[]) {
    for (const ws of this.open()) {
      const s = stateOf(ws);
      if (!s) continue;
      if (!maySee(s.viewer, observerIds)) {
        endSocket(ws, this.sentUpTo, 'forbidden');
      } else if (s.canType !== mayType(s.viewer, observerIds)) {
        setState(ws, { ...s, canType: mayType(s.viewer, observerIds) });
      }
    }
  }

  private flush() {
    const head = this.window.head();
    if (head <= this.sentUpTo) return;
    const frames = this.window.range(this.sentUpTo, head);
    this.sentUpTo = head;
    const sockets = this.open();
    for (const f of frames) for (const ws of sockets) send(ws, f.body);
  }

  private async recheckIfDue() {
    const sockets = this.open();
    if (!checkDue(sockets, Date.now(), RECHECK_MS.room)) return;
    this.checking ??= (async () => {
      try {
        const { ended } = await recheckSockets(database(this.env.DB), sockets);
        const before = this.present();
        for (const ws of ended) endSocket(ws, this.sentUpTo, 'session_ended');
        this.announce(before);
      } catch (err) {
        console.error('chat room: session re-check failed', err);
      } finally {
        this.checking = null;
      }
    })();
    await this.checking;
  }

  /** Everyone viewing now (id → name), one entry per user however many tabs. */
  private present(leaving?: WebSocket): Map<string, string> {
    const users = new Map<string, string>();
    for (const ws of this.open()) {
      const v = ws !== leaving ? stateOf(ws)?.viewer : undefined;
      if (v) users.set(v.id, v.name);
    }
    return users;
  }

  /**
   * Tells every viewer (but `skip`) who came and went between `before` and `now`, in one small frame, and only if
   * someone did: O(viewers) per change, where resending the whole list to everyone was O(viewers²).
   */
  private announce(before: Map<string, string>, now = this.present(), skip?: WebSocket) {
    const joined = listOf(new Map([...now].filter(([id]) => !before.has(id))));
    const left = [...before.keys()].filter((id) => !now.has(id));
    if (joined.length === 0 && left.length === 0) return;
    const data = this.ephemeral({ type: 'presence_diff', joined, left });
    for (const ws of this.open()) if (ws !== skip) send(ws, data);
  }

  private open(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.READY_STATE_OPEN);
  }

  private ephemeral(frame: DistributiveOmit<Extract<ChatFrame, { ephemeral: true }>, 'seq' | 'ephemeral'>): string {
    return JSON.stringify({ seq: this.sentUpTo, ephemeral: true, ...frame });
  }
}

function listOf(users: Map<string, string>): PresentUser[] {
  return [...users].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function parseRoom(raw: string | null): { observerIds: string[] } | null {
  try {
    const room = JSON.parse(raw ?? 'null') as { observerIds?: unknown } | null;
    return room && Array.isArray(room.observerIds) ? { observerIds: room.observerIds.map(String) } : null;
  } catch {
    return null;
  }
}

/** The room of one chat. */
export function chatRoom(env: Env, chatId: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chatId));
}
