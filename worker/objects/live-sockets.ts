/**
 * Socket plumbing shared by the two live objects: per-socket state kept in the hibernation attachment
 * (with an in-memory copy, since deserialising on every fan-out would cost more than the send), the
 * hand-over of the viewer from the Worker, polite closing, and the periodic session re-check.
 */
import type { Db } from '../data/db';
import { currentViewers, type Viewer } from '../domain/access';
import { liveCloseCodes, type StreamFrame } from '../shared/live';

/**
 * How long a socket's session check stays trusted before the next publish re-checks it. The inbox feed
 * also hears `userChanged` from user edits, so it can trust longer; a chat room only has this.
 */
export const RECHECK_MS = { feed: 60_000, room: 15_000 } as const;
/** The header the Worker uses to hand the authenticated viewer to an object (objects are not reachable from outside). */
export const VIEWER_HEADER = 'x-ponte-viewer';

export interface SocketState {
  viewer: Viewer;
  checkedAt: number;
  /** Chat rooms only: whether this viewer may send typing. */
  canType?: boolean;
  /** Closed by `endSocket` (access or session lost), whose caller already told the others it left. */
  ended?: boolean;
}

/**
 * What one stream object accepts. A browser tab holds one socket per stream, so 10 per session is ten
 * tabs of one login and 30 per user is three logins' worth; past that it is a script or a reconnect loop.
 * Client frames are small (`{"type":"typing"}`, "ping" never reaches us) and at most ~1 per second.
 */
export const LIVE_LIMITS = {
  socketsPerSession: 10,
  socketsPerUser: 30,
  frameBytes: 4 * 1024,
  /** Frames per socket per window: past this they are dropped; past twice this the socket is closed. */
  framesPerWindow: 20,
  windowMs: 10_000,
} as const;

/** The hibernation tags a live socket is accepted with: counted by `getWebSockets(tag)`, so caps survive hibernation. */
export function socketTags(viewer: Viewer): string[] {
  return [`user:${viewer.id}`, `session:${viewer.session}`];
}

/** Why a new socket for `viewer` would be one too many on this object, or null if it may open. */
export function tooManySockets(ctx: DurableObjectState, viewer: Viewer): 'too_many_sockets_session' | 'too_many_sockets_user' | null {
  const open = (tag: string) => ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.READY_STATE_OPEN).length;
  if (open(`session:${viewer.session}`) >= LIVE_LIMITS.socketsPerSession) return 'too_many_sockets_session';
  if (open(`user:${viewer.id}`) >= LIVE_LIMITS.socketsPerUser) return 'too_many_sockets_user';
  return null;
}

/**
 * Completes the upgrade only to close it at once with 4429: a browser cannot read an HTTP status of a
 * refused upgrade, but it does see a close code. The socket is not accepted for hibernation, so it is
 * never counted, never woken for, and needs no close handler.
 */
export function refuseSocket(reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  server.close(liveCloseCodes.tooMany, reason);
  return new Response(null, { status: 101, webSocket: client });
}

/**
 * Kept in memory only: hibernation needs the object idle for seconds, by which time a 10 s window has
 * all but run out, so losing a count there forgives little.
 */
const frameWindows = new WeakMap<WebSocket, { start: number; count: number }>();

/**
 * Whether a client frame may be handled. Before anything is parsed: a frame over the size limit closes
 * the socket (1009); one over the rate is dropped, and a sustained flood (twice the rate in one window)
 * closes it (4429).
 */
export function admitFrame(ws: WebSocket, message: string | ArrayBuffer, now = Date.now()): boolean {
  // A UTF-8 string has at least as many bytes as UTF-16 units, so a long one is refused without encoding it.
  const tooBig = typeof message === 'string'
    ? message.length > LIVE_LIMITS.frameBytes || new TextEncoder().encode(message).byteLength > LIVE_LIMITS.frameBytes
    : message.byteLength > LIVE_LIMITS.frameBytes;
  if (tooBig) return closeWith(ws, 1009, 'frame_too_big');
  let w = frameWindows.get(ws);
  if (!w || now - w.start >= LIVE_LIMITS.windowMs) frameWindows.set(ws, (w = { start: now, count: 0 }));
  w.count++;
  if (w.count > 2 * LIVE_LIMITS.framesPerWindow) return closeWith(ws, liveCloseCodes.tooMany, 'too_many_frames');
  return w.count <= LIVE_LIMITS.framesPerWindow;
}

/** Not marked `ended`: its close handler is what tells the others it left. */
function closeWith(ws: WebSocket, code: number, reason: string): false {
  try {
    ws.close(code, reason);
  } catch {
    /* already closing */
  }
  return false;
}

const states = new WeakMap<WebSocket, SocketState>();

export function stateOf(ws: WebSocket): SocketState | null {
  let s = states.get(ws);
  if (!s) {
    s = (ws.deserializeAttachment() as SocketState | null) ?? undefined;
    if (s) states.set(ws, s);
  }
  return s ?? null;
}

export function setState(ws: WebSocket, s: SocketState) {
  states.set(ws, s);
  try {
    ws.serializeAttachment(s);
  } catch {
    /* closed meanwhile: nothing to keep */
  }
}

/** The viewer the Worker authenticated, or null when the request did not come from the Worker's live route. */
export function viewerFrom(request: Request): Viewer | null {
  try {
    const v = JSON.parse(request.headers.get(VIEWER_HEADER) ?? 'null') as Viewer | null;
    return v && typeof v.id === 'string' && typeof v.session === 'string' && typeof v.role === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Sends if the socket is still open; a socket closing under us is not an error worth a log line. */
export function send(ws: WebSocket, data: string) {
  try {
    ws.send(data);
  } catch {
    /* closed meanwhile: its close handler cleans up */
  }
}

/** Says why, then closes with one of the live close codes. */
export function endSocket(ws: WebSocket, seq: number, reason: 'session_ended' | 'forbidden') {
  const bye: StreamFrame = { seq, ephemeral: true, type: 'bye', reason };
  send(ws, JSON.stringify(bye));
  const s = stateOf(ws);
  if (s) setState(ws, { ...s, ended: true });
  try {
    ws.close(reason === 'session_ended' ? liveCloseCodes.sessionEnded : liveCloseCodes.forbidden, reason);
  } catch {
    /* already closing */
  }
}

/** Completes the closing handshake; 1005/1006 are reserved codes that may not be sent back. */
export function answerClose(ws: WebSocket, code: number, reason: string) {
  try {
    if (code === 1005 || code === 1006) ws.close();
    else ws.close(code, reason);
  } catch {
    /* the runtime already answered */
  }
}

/** Whether any socket's session check is older than `trustMs`. */
export function checkDue(sockets: WebSocket[], now: number, trustMs: number): boolean {
  return sockets.some((ws) => (stateOf(ws)?.checkedAt ?? 0) < now - trustMs);
}

/**
 * Re-reads the sessions behind `sockets` (one query per 90 sessions) and sorts the sockets: `ended`
 * (session gone: logout, expiry, deactivation, role change) and `changed` (same session, new name or
 * role). Stores the fresh viewer and check time on each live one.
 */
export async function recheckSockets(db: Db, sockets: WebSocket[], now = Date.now()) {
  const live = sockets.filter((ws) => stateOf(ws));
  const current = await currentViewers(db, live.map((ws) => stateOf(ws)!.viewer.session), now);
  const ended: WebSocket[] = [];
  const changed: WebSocket[] = [];
  for (const ws of live) {
    const s = stateOf(ws)!;
    const fresh = current.get(s.viewer.session);
    if (!fresh) {
      ended.push(ws);
      continue;
    }
    if (fresh.role !== s.viewer.role || fresh.name !== s.viewer.name) changed.push(ws);
    setState(ws, { ...s, viewer: fresh, checkedAt: now });
  }
  return { ended, changed };
}
