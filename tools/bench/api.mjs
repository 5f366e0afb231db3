/**
 * A tiny client for the Ponte API and the fakes' control API, shared by the benchmarks and the load
 * tests. Calls throw on non-2xx unless `raw` is asked for.
 */

/** No API or fakes call of a script waits longer than this, however the server answers. */
export const API_CALL_TIMEOUT_MS = 120_000;

/** `{login, get, post, put, patch, del, raw}` bound to `baseUrl`; every call takes the cookie first. */
export function apiClient(baseUrl) {
  const raw = async (cookie, method, path, body, headers = {}, { retrySafe = method === 'GET', timeoutMs = API_CALL_TIMEOUT_MS } = {}) => {
    const init = {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    };
    let res;
    for (let attempt = 1; ; attempt++) {
      try {
        // Bounded, body included: a server that never finishes its answer must not hang a script.
        res = await fetch(baseUrl + path, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        break;
      } catch (err) {
        // A keep-alive socket the server closed just as it was reused: a read (or a login) is safe to send again.
        if (!retrySafe || attempt >= 3) throw err;
        await sleep(200 * attempt);
      }
    }
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    return { status: res.status, data, headers: res.headers };
  };
  const call = async (cookie, method, path, body) => {
    const res = await raw(cookie, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  };
  return {
    raw,
    async login(email, password) {
      // Safe to send again: a login that did land only leaves a spare session.
      const res = await raw(null, 'POST', '/api/auth/login', { email, password }, {}, { retrySafe: true });
      if (res.status !== 200) throw new Error(`login ${email} → ${res.status}`);
      return res.headers.get('set-cookie').split(';')[0];
    },
    get: (cookie, path) => call(cookie, 'GET', path),
    post: (cookie, path, body = {}) => call(cookie, 'POST', path, body),
    put: (cookie, path, body) => call(cookie, 'PUT', path, body),
    patch: (cookie, path, body) => call(cookie, 'PATCH', path, body),
    del: (cookie, path) => call(cookie, 'DELETE', path),
  };
}

/** POST/GET on the fakes' /_control API. */
export function controlClient(fakesUrl) {
  return {
    post: async (path, body) => {
      const res = await fetch(fakesUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(API_CALL_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`fake ${path} → ${res.status} ${await res.text()}`);
      return res.json();
    },
    get: async (path) => {
      const res = await fetch(fakesUrl + path, { signal: AbortSignal.timeout(API_CALL_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`fake ${path} → ${res.status} ${await res.text()}`);
      return res.json();
    },
  };
}

/**
 * The demo integrations with their webhook secrets. D1 keeps only a hash of a Telegram secret, so the
 * secret is the one the fake recorded with the integration's setWebhook call.
 */
export function integrationsOf(stack) {
  const rows = stack.d1('SELECT id, channel, name, webhook_secret AS secret FROM integrations WHERE removed_at IS NULL ORDER BY created_at');
  const hooks = stack.fakes.control.sent().calls.filter((c) => String(c.method).toLowerCase() === 'setwebhook' && c.params?.secret_token);
  return rows.map((r) => {
    const hook = hooks.filter((c) => String(c.params.url ?? '').endsWith(`/${r.id}`)).at(-1);
    // The bot's token in the fakes: clients made by a load tool are introduced to it (telegramMeet).
    return hook ? { ...r, secret: String(hook.params.secret_token), token: hook.token } : r;
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; resolves to the results in order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the stack is quiet: no new call reached the messenger fakes for `quietMs` (outbound
 * deliveries and the receipts they trigger have settled). Bounded by `timeoutMs`; resolves to true if
 * quiet. Watches the fakes, not D1, so it never competes with the Worker for the database.
 */
export async function waitQuiet(stack, { quietMs = 3000, timeoutMs = 120_000 } = {}) {
  const t0 = Date.now();
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = stack.fakes.control.sent().calls.length;
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return true;
    if (Date.now() - t0 > timeoutMs) return false;
    await sleep(250);
  }
}
