/**
 * The API client's core: the only place in the UI that calls fetch. Every request goes to the same
 * origin with the session cookie; errors become ApiError with the contract's {code, message}; a 401
 * (outside login) calls the handler the app registered, which sends the user to the login screen.
 * The endpoints live beside it, one file per capability, gathered as `api` in index.ts.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: unknown,
    /** From Retry-After on a 429: how long the server asks us to wait. */
    readonly retryAfterSeconds?: number,
    /** The error's `details` (e.g. `{variables}` of 400 unknown_variable). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
/** The app decides what a lost session means (navigate to /login). */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}
/** The server said the session is over (a live socket closed with 4401): same as a 401. */
export function sessionEnded() {
  onUnauthorized();
}

export type Query = Record<string, string | number | null | undefined>;

export function qs(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const enc = encodeURIComponent;

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path + (query ? qs(query) : ''), init);
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: unknown; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    const retryAfter = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.fields, retryAfter > 0 ? retryAfter : undefined, err?.details);
  }
  return data as T;
}

/** Lists may come bare (`[...]`) or wrapped (`{items: [...]}`); API.md shows both styles. */
export function items<T>(r: T[] | { items: T[] } | null | undefined): T[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items ?? [];
}

export const get = <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T = void>(path: string) => request<T>('DELETE', path);

export type List<T> = T[] | { items: T[] };

/** The human text for an error, preferring our own words for transport failures. */
export function errorText(e: unknown, t: (k: 'error.network' | 'error.generic') => string): string {
  if (e instanceof ApiError) return e.code === 'network' ? t('error.network') : e.message || t('error.generic');
  return t('error.generic');
}
