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
