/**
 * Inbound media downloads, bounded: only the messenger's own hosts (redirects included), at most
 * `maxBytes`, and one deadline over the whole download — headers and body. The body is handed on as a
 * stream so a file is never held in memory whole; reading past the cap or the deadline errors it with
 * a MediaDownloadError that says why.
 */
import type { AdapterContext } from './types';

/** Telegram bots may download at most 20 MB (docs/telegram.md §6); Ponte keeps no larger client file. */
export const MEDIA_MAX_BYTES = 20 * 1024 * 1024;
/**
 * The webhook's hand-off fetches inside waitUntil, which lives 30 s past the response in production;
 * 20 MiB in 25 s is under 1 MB/s. A slower or stalled server is retried later (the queue, the sweeper).
 */
export const MEDIA_TIMEOUT_MS = 25_000;
const MAX_REDIRECTS = 3;

export class MediaDownloadError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}

export type MediaDownload =
  | { ok: true; body: ReadableStream<Uint8Array>; length: number | null; contentType: string | null }
  | { ok: false; retryable: boolean; reason: string };

export const tooLarge = (maxBytes: number) => new MediaDownloadError(`The file is larger than ${formatMiB(maxBytes)}`, false);

/** Opens `url` for streaming within the context's media bounds. Never throws. */
export async function openDownload(ctx: AdapterContext, url: string): Promise<MediaDownload> {
  const maxBytes = ctx.media?.maxBytes ?? MEDIA_MAX_BYTES;
  const timeoutMs = ctx.media?.timeoutMs ?? MEDIA_TIMEOUT_MS;
  const deadline = new Deadline(timeoutMs);
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      if (!allowedHost(ctx, current)) throw new MediaDownloadError(`The file's address (${hostOf(current)}) is not one of this messenger's media hosts`, false);
      // Redirects are followed by hand so every hop passes the host check.
      const res = await deadline.race(callFetch(ctx, current, { signal: deadline.signal, redirect: 'manual' }));
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new MediaDownloadError('Too many redirects', false);
        current = new URL(location, current).href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new MediaDownloadError(`The messenger answered HTTP ${res.status}`, true);
      }
      const declared = res.headers.get('content-length');
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
      if (length !== null && length > maxBytes) {
        await res.body?.cancel();
        throw tooLarge(maxBytes);
      }
      return { ok: true, body: bounded(res.body, maxBytes, deadline), length, contentType: res.headers.get('content-type') };
    }
  } catch (err) {
    deadline.clear();
    const failure = asDownloadError(err);
    return { ok: false, retryable: failure.retryable, reason: failure.message };
  }
}

/** Any error met while downloading, as a MediaDownloadError (network errors may pass, so retryable). */
export function asDownloadError(err: unknown): MediaDownloadError {
  if (err instanceof MediaDownloadError) return err;
  return new MediaDownloadError(`The download failed: ${err instanceof Error ? err.message : String(err)}`, true);
}

/** The API base's host, and the hosts configured for the channel's media (`*.example.com` for subdomains). */
function allowedHost(ctx: AdapterContext, url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return false;
  if (target.host === new URL(ctx.apiBase).host) return true;
  const hostname = target.hostname.toLowerCase();
  return (ctx.media?.hosts ?? []).some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e.startsWith('*.')) return hostname.endsWith(e.slice(1));
    return e === hostname || e === target.host.toLowerCase();
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'not a URL';
  }
}

/** The response body, errored once it passes `maxBytes` or the deadline; the deadline ends with it. */
function bounded(source: ReadableStream<Uint8Array> | null, maxBytes: number, deadline: Deadline): ReadableStream<Uint8Array> {
  const reader = source?.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = reader ? await deadline.race(reader.read()) : { done: true as const, value: undefined };
        if (chunk.done) {
          deadline.clear();
          controller.close();
          return;
        }
        seen += chunk.value.byteLength;
        if (seen > maxBytes) throw tooLarge(maxBytes);
        controller.enqueue(chunk.value);
      } catch (err) {
        deadline.clear();
        reader?.cancel(err).catch(() => {});
        controller.error(asDownloadError(err));
      }
    },
    cancel(reason) {
      deadline.clear();
      return reader?.cancel(reason);
    },
  });
}

/**
 * One timer for a whole download. `race` also settles when the fetch ignores the abort signal (an
 * injected fetch may), so nothing awaits past the deadline.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly expired: Promise<never>;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(ms: number) {
    let expire!: (error: Error) => void;
    this.expired = new Promise<never>((_, reject) => (expire = reject));
    this.timer = setTimeout(() => {
      const error = new MediaDownloadError(`The messenger did not send the file within ${ms / 1000} s`, true);
      this.controller.abort(error);
      expire(error);
    }, ms);
    // Nobody may be racing when it fires; that is not an unhandled rejection.
    this.expired.catch(() => {});
  }

  get signal() {
    return this.controller.signal;
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  clear() {
    clearTimeout(this.timer);
  }
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

// workerd throws "Illegal invocation" when the global fetch is called as a method of another object.
function callFetch(ctx: AdapterContext, url: string, init: RequestInit): Promise<Response> {
  const f = ctx.fetch ?? fetch;
  return f(url, init);
}
