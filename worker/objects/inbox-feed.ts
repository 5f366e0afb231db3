import { DurableObject } from 'cloudflare:workers';
import { database } from '../data/db';
import { isOlder, type InboxEnvelope } from '../domain/live';
import { countsFor, loadCountsBasis, renderInbox, type CountsBasis } from '../domain/live';
import { chatScope, type Viewer } from '../domain/access';
import { parseAfter, replayFrom, WINDOW_SIZE } from '../domain/live';
import type { Env } from '../env';
import { groupChanges, type InboxFrame } from '../shared/live';
import type { MentionNotice } from '../shared/mention-wire';
import { wakeQueuesVia } from './bot-queue-calls';
import { FrameWindow } from './frame-window';
import { singletonId } from './singleton-id';
import { admitFrame, answerClose, checkDue, endSocket, recheckSockets, RECHECK_MS, refuseSocket, send, setState, socketTags, stateOf, tooManySockets, viewerFrom } from './live-sockets';

/**
 * The one inbox feed (idFromName('inbox')): every open inbox tab's socket, hibernated between changes.
 * A publish is one RPC carrying each changed chat once; the feed numbers and keeps it, then renders it
 * once per connected user (not per socket) with that user's access, unread state and notify flag.
 */
export class InboxFeed extends DurableObject<Env> {
  private readonly window: FrameWindow;
  /** Frames up to here went out to every socket; newer ones are being published. */
  private sentUpTo: number;
  private checking: Promise<void> | null = null;
  private basis: { value: CountsBasis; at: number } | null = null;
  private countsRunning: Promise<void> | null = null;
  private countsQueued: Promise<void> | null = null;
  /** Frames appended but not yet sent: exactly sentUpTo+1 … head, since only this object appends. */
  private unsent: { seq: number; envelope: InboxEnvelope }[] = [];
  private latest: Map<string, { seq: number; envelope: InboxEnvelope }> | null = null;
  /** The counts each socket was last sent (lost on hibernation, which only costs one repeat). */
  private readonly countsSent = new WeakMap<WebSocket, string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.window = new FrameWindow(ctx.storage.sql);
    this.sentUpTo = this.window.head();
    // Keep-alives are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** Accepts an upgrade the Worker has authenticated; replays `?after=` and goes live. */
  async fetch(request: Request): Promise<Response> {
    const viewer = viewerFrom(request);
    const after = parseAfter(new URL(request.url).searchParams.get('after'));
    if (!viewer || after === undefined || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Bad live request', { status: 400 });
    const crowded = tooManySockets(this.ctx, viewer);
    if (crowded) return refuseSocket(crowded);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, socketTags(viewer));
    // Coming online may let bots that assign only to online managers place their waiting chats.
    if (this.ctx.getWebSockets(`user:${viewer.id}`).length === 1) this.ctx.waitUntil(wakeQueuesVia(this.env, { userId: viewer.id }));
    setState(server, { viewer, checkedAt: Date.now() });
    this.catchUp(server, viewer, after);
    const basis = this.basis;
    if (basis && basis.at > Date.now() - RECHECK_MS.feed && (chatScope(viewer) === 'all' || basis.value.observed[viewer.id])) {
      this.sendCountsTo(server, this.countsFrame(basis.value, viewer));
    } else {
      void this.refreshCounts();
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Stores and fans out chat changes (one envelope per chat), then refreshes counts if a chat changed group. */
  async publish(envelopes: InboxEnvelope[]): Promise<void> {
    for (const e of envelopes) this.append(e);
    await this.recheckIfDue();
    this.flush();
    if (envelopes.some((e) => e.changes.some((c) => groupChanges.includes(c)))) await this.refreshCounts();
  }

  /** Users with an inbox open (a live socket): who is online, for bots that assign only to them. */
  onlineUserIds(): string[] {
    const ids = new Set<string>();
    for (const ws of this.ctx.getWebSockets()) {
      const viewer = stateOf(ws)?.viewer;
      if (viewer) ids.add(viewer.id);
    }
    return [...ids];
  }

  /** A user was edited (role, active, password): re-check their sockets now instead of at the next periodic check. */
  async userChanged(userId: string): Promise<void> {
    const sockets = this.ctx.getWebSockets(`user:${userId}`);
    if (sockets.length > 0) await this.recheck(sockets);
  }

  /** Sends each person's mention notice to their own sockets only (nobody else learns of it). */
  notifyUsers(notices: MentionNotice[]): void {
    for (const n of notices) {
      const data = JSON.stringify({ seq: this.sentUpTo, ephemeral: true, type: 'mentions', unread: n.unread, mention: n.mention } satisfies InboxFrame);
      for (const ws of this.ctx.getWebSockets(`user:${n.userId}`)) if (stateOf(ws)?.viewer?.id === n.userId) send(ws, data);
    }
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // The inbox feed takes nothing from clients ("ping" is answered by the auto-response), but a client
    // can still send: a big frame or a flood closes its socket.
    admitFrame(ws, message);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    answerClose(ws, code, reason);
  }

  /**
   * Each chat's newest kept envelope, parsed: read from storage once per object lifetime, then kept
   * alongside it (only this object appends), so an append neither queries nor parses its predecessor.
   */
  private latestEnvelopes(): Map<string, { seq: number; envelope: InboxEnvelope }> {
    if (!this.latest) {
      this.latest = new Map(this.window.latestByKey().map((f) => [f.key, { seq: f.seq, envelope: JSON.parse(f.body) as InboxEnvelope }]));
    }
    return this.latest;
  }

  /** Numbers an envelope; a snapshot that lost a race to a fresher one is given the fresher chat state. */
  private append(e: InboxEnvelope) {
    const latest = this.latestEnvelopes();
    const kept = latest.get(e.chatId);
    const prev = kept && this.window.keeps(kept.seq) ? kept.envelope : null;
    let stored = e;
    if (prev) {
      if (isOlder(e.stamp, prev.stamp)) {
        stored = { ...e, chat: prev.chat, observerIds: prev.observerIds, readers: prev.readers, inboundCount: prev.inboundCount, stamp: prev.stamp };
      }
      const removed = prev.observerIds.filter((id) => !stored.observerIds.includes(id));
      if (removed.length > 0) stored = { ...stored, removedObserverIds: removed };
    }
    const seq = this.window.append(e.chatId, () => JSON.stringify(stored));
    latest.set(e.chatId, { seq, envelope: stored });
    this.unsent.push({ seq, envelope: stored });
    // Forget chats whose frames fell out of the window, so the map stays the window's size.
    if (latest.size > 2 * WINDOW_SIZE) for (const [chatId, f] of latest) if (!this.window.keeps(f.seq)) latest.delete(chatId);
  }

  /** Sends every stored frame not sent yet (kept in memory since it was appended), rendered once per user. */
  private flush() {
    const frames = this.unsent;
    if (frames.length === 0) return;
    this.unsent = [];
    this.sentUpTo = frames[frames.length - 1].seq;
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    for (const { seq, envelope } of frames) {
      const perUser = new Map<string, string | null>();
      for (const ws of sockets) {
        const viewer = stateOf(ws)?.viewer;
        if (!viewer) continue;
        let data = perUser.get(viewer.id);
        if (data === undefined) {
          const frame = renderInbox(envelope, viewer, seq);
          perUser.set(viewer.id, (data = frame ? JSON.stringify(frame) : null));
        }
        if (data) send(ws, data);
      }
    }
  }

  private catchUp(ws: WebSocket, viewer: Viewer, after: number | null) {
    const plan = replayFrom(after, this.sentUpTo, this.window.oldest());
    const ready: InboxFrame = { seq: this.sentUpTo, ephemeral: true, type: 'ready' };
    if (plan.kind === 'reload') send(ws, JSON.stringify({ seq: this.sentUpTo, ephemeral: true, type: 'reload' } satisfies InboxFrame));
    if (plan.kind === 'replay') {
      for (const f of this.window.range(plan.after, this.sentUpTo)) {
        const frame = renderInbox(JSON.parse(f.body) as InboxEnvelope, viewer, f.seq);
        if (frame) send(ws, JSON.stringify(frame));
      }
    }
    send(ws, JSON.stringify(ready));
  }

  private async recheckIfDue() {
    const sockets = this.ctx.getWebSockets();
    if (!checkDue(sockets, Date.now(), RECHECK_MS.feed)) return;
    this.checking ??= this.recheck(sockets).finally(() => (this.checking = null));
    await this.checking;
  }

  private async recheck(sockets: WebSocket[]) {
    try {
      const { ended, changed } = await recheckSockets(database(this.env.DB), sockets);
      for (const ws of ended) endSocket(ws, this.sentUpTo, 'session_ended');
      // Another role means other counts (an observer's are over the chats they observe).
      if (changed.length > 0) void this.refreshCounts();
    } catch (err) {
      console.error('inbox feed: session re-check failed', err);
    }
  }

  /** Recomputes the counts basis and sends everyone their counts; concurrent requests share one run. */
  private refreshCounts(): Promise<void> {
    this.countsQueued ??= (async () => {
      await this.countsRunning;
      this.countsQueued = null;
      const run = this.sendCounts();
      this.countsRunning = run;
      await run;
      if (this.countsRunning === run) this.countsRunning = null;
    })();
    return this.countsQueued;
  }

  private async sendCounts() {
    try {
      const sockets = this.ctx.getWebSockets();
      if (sockets.length === 0) return;
      const observers = sockets.map((ws) => stateOf(ws)?.viewer).filter((v) => v && chatScope(v) === 'observed').map((v) => v!.id);
      const value = await loadCountsBasis(database(this.env.DB), observers);
      this.basis = { value, at: Date.now() };
      const perUser = new Map<string, CountsFrame>();
      for (const ws of this.ctx.getWebSockets()) {
        const viewer = stateOf(ws)?.viewer;
        // An observer who connected during the query is not in this basis; the run queued for them covers it.
        if (!viewer || (chatScope(viewer) === 'observed' && !value.observed[viewer.id])) continue;
        let frame = perUser.get(viewer.id);
        if (!frame) perUser.set(viewer.id, (frame = this.countsFrame(value, viewer)));
        this.sendCountsTo(ws, frame);
      }
    } catch (err) {
      console.error('inbox feed: counts failed', err);
    }
  }

  private countsFrame(basis: CountsBasis, viewer: Viewer): CountsFrame {
    const counts = countsFor(basis, viewer);
    return { key: JSON.stringify(counts), data: JSON.stringify({ seq: this.sentUpTo, ephemeral: true, type: 'counts', counts } satisfies InboxFrame) };
  }

  /**
   * Sends counts unless this socket already has these very numbers: a refresh set off by one newcomer
   * (or one observer's first socket) then costs a frame to the newcomer and to those whose counts moved,
   * not one to every socket.
   */
  private sendCountsTo(ws: WebSocket, frame: CountsFrame) {
    if (this.countsSent.get(ws) === frame.key) return;
    this.countsSent.set(ws, frame.key);
    send(ws, frame.data);
  }
}

/** A counts frame for one user, and its numbers alone to tell whether a socket already has them. */
interface CountsFrame {
  key: string;
  data: string;
}

/** The single inbox feed object. */
export async function onlineUsersVia(env: Env): Promise<string[]> {
  return inboxFeed(env).onlineUserIds();
}

export function inboxFeed(env: Env) {
  return env.INBOX_FEED.get(singletonId(env.INBOX_FEED, 'inbox'));
}
