/**
 * A self-healing WebSocket for the live feeds. It remembers the stream position (`seq`, see
 * worker/shared/live.ts), reconnects with exponential backoff (plus jitter) and `?after=<seq>` so the
 * server replays what was missed, and turns `{type:"reload"}` into a refetch callback (whose seq then
 * replaces the cursor). Close code 4401 (session ended) stops it and sends the user to login; 4403
 * (may no longer see this) stops it and tells the owner. The `bye` frame that precedes those closes
 * names the same reason, so it still counts if a proxy on the way loses the close code.
 *
 * Cursor rules (worker/shared/live.ts): a frame is a duplicate only when it is durable (no
 * `ephemeral`) and `seq <= lastSeq`; every frame moves `lastSeq` to `max(lastSeq, seq)`; `reload`
 * sets `lastSeq = seq` (the stream may have been reset) and refetches.
 * While any live socket is down the app shows the "Reconnecting…" banner (see `liveTrouble`).
 */
import { createSignal } from 'solid-js';
import { api, sessionEnded } from './index';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

const [troubled, setTroubled] = createSignal(new Set<number>());
/** True while at least one live socket is trying to reconnect. */
export const liveTrouble = () => troubled().size > 0;
let nextId = 1;

function markTrouble(id: number, on: boolean) {
  const s = troubled();
  if (s.has(id) === on) return;
  const copy = new Set(s);
  if (on) copy.add(id);
  else copy.delete(id);
  setTroubled(copy);
}

export interface LiveSocket {
  status: () => LiveStatus;
  /** Sends a JSON frame if the socket is open; returns false otherwise. */
  send: (frame: object) => boolean;
  close: () => void;
}

export interface LiveOptions<F> {
  onFrame: (frame: F) => void;
  /** Server said it cannot replay the gap: refetch everything. */
  onReload: () => void;
  /**
   * The first connection is ready: from here on no frame is missed. What was read before it (a list
   * fetched while the socket was still connecting) may have missed a change made in between.
   */
  onFirstReady?: () => void;
  /** The server closed with 4403: this user may no longer see what the socket is about. */
  onForbidden?: () => void;
}

type AnyFrame = { type: string; seq?: number; ephemeral?: boolean; reason?: string };
const SESSION_ENDED = 4401;
const FORBIDDEN = 4403;
const TOO_MANY = 4429;

const MIN_DELAY = 500;
const MAX_DELAY = 15_000;

export function openLive<F extends AnyFrame>(path: string, opts: LiveOptions<F>): LiveSocket {
  const id = nextId++;
  const [status, setStatus] = createSignal<LiveStatus>('connecting');
  let ws: WebSocket | null = null;
  let lastSeq: number | null = null;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const url = () => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}${path}${lastSeq !== null ? `?after=${lastSeq}` : ''}`;
  };

  let connections = 0;

  function connect() {
    clearTimeout(timer);
    if (closed) return;
    // A reconnect with no cursor (the socket before it closed before its `ready`) cannot be replayed to:
    // what changed in between is fetched instead once this one is ready.
    const first = connections++ === 0;
    const refetchWhenReady = !first && lastSeq === null;
    let sock: WebSocket;
    try {
      sock = new WebSocket(url());
    } catch {
      scheduleReconnect();
      return;
    }
    ws = sock;
    /** The reason of a `bye` frame on this connection, if one came. */
    let bye: string | null = null;
    sock.onopen = () => {
      attempts = 0;
      setStatus('open');
      markTrouble(id, false);
    };
    sock.onmessage = (ev) => {
      let frame: F;
      try {
        frame = JSON.parse(typeof ev.data === 'string' ? ev.data : '') as F;
      } catch {
        return;
      }
      if (!frame || typeof frame.type !== 'string') return;
      if (typeof frame.seq === 'number') {
        if (frame.type === 'reload') lastSeq = frame.seq; // the stream may have been reset
        else if (!frame.ephemeral && lastSeq !== null && frame.seq <= lastSeq) return; // already applied
        else lastSeq = Math.max(lastSeq ?? 0, frame.seq);
      }
      if (frame.type === 'reload' || (frame.type === 'ready' && refetchWhenReady)) opts.onReload();
      else if (frame.type === 'ready' && first) opts.onFirstReady?.();
      else if (frame.type === 'bye') bye = typeof frame.reason === 'string' ? frame.reason : null;
      else if (frame.type !== 'ready' && frame.type !== 'error') opts.onFrame(frame);
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      if (closed) return;
      if (ev.code === SESSION_ENDED || bye === 'session_ended') {
        stop();
        sessionEnded(); // log in again; never reconnect with this session
      } else if (ev.code === FORBIDDEN || bye === 'forbidden') {
        stop();
        opts.onForbidden?.();
      } else {
        // 4429 (too many tabs or frames): an immediate retry would be refused again; wait 7.5-15 s.
        if (ev.code === TOO_MANY) attempts = Math.max(attempts, 5);
        scheduleReconnect();
      }
    };
    sock.onerror = () => sock.close();
  }

  function scheduleReconnect() {
    setStatus('reconnecting');
    markTrouble(id, true);
    attempts++;
    // After a couple of failures, check whether the session is gone (401 → login screen).
    if (attempts === 3) api.me().catch(() => undefined);
    const delay = Math.min(MAX_DELAY, MIN_DELAY * 2 ** (attempts - 1));
    timer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
  }

  const online = () => {
    if (!closed && status() === 'reconnecting') connect();
  };
  addEventListener('online', online);

  function stop() {
    closed = true;
    clearTimeout(timer);
    removeEventListener('online', online);
    markTrouble(id, false);
    setStatus('closed');
  }

  connect();

  return {
    status,
    send(frame) {
      if (ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
    close() {
      stop();
      const s = ws;
      ws = null;
      s?.close();
    },
  };
}
