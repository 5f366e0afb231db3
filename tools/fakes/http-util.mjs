// Small HTTP helpers shared by the Telegram and Viber fakes: body parsing, replies, webhook delivery.

/** Reads the whole request body as a Buffer. */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Telegram-style parameters from the query string and a JSON, urlencoded or multipart body (docs/telegram.md §1).
 * Multipart file fields come back as {name, type, bytes}. Throws on a malformed JSON body.
 */
export async function readParams(req, url, body) {
  const params = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.includes('application/json')) return { ...params, ...JSON.parse(body.toString('utf8')) };
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    // undici's Request does the multipart parsing for us (Node 20 has it built in).
    const form = await new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
    for (const [key, value] of form) {
      params[key] = typeof value === 'string' ? value : { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    }
  }
  return params;
}

/** Sends a JSON reply; `rawJson` (a string) is sent verbatim so hand-built 64-bit numbers survive. */
export function sendJson(res, status, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * POSTs `body` (a string, sent byte for byte) to a webhook, retrying on a non-accepted status or a network
 * error after each delay in `retryDelaysMs`. Returns the last outcome and how many tries it took;
 * `onFailedAttempt` sees every failed try.
 */
export async function deliver(url, { headers, body, retryDelaysMs, accept, timeoutMs = 10_000, log, onFailedAttempt }) {
  let outcome;
  const tries = retryDelaysMs.length + 1;
  for (let attempt = 1; attempt <= tries; attempt++) {
    outcome = await postOnce(url, headers, body, timeoutMs);
    outcome.attempts = attempt;
    log?.(`  → POST ${url} #${attempt}: ${outcome.status ?? outcome.error}`);
    if (outcome.status !== undefined && accept(outcome.status)) return outcome;
    onFailedAttempt?.(outcome);
    if (attempt < tries) await sleep(retryDelaysMs[attempt - 1]);
  }
  return outcome;
}

async function postOnce(url, headers, body, timeoutMs) {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, statusText: res.statusText, responseText: await res.text() };
  } catch (err) {
    if (err?.name === 'TimeoutError') return { error: 'timeout' };
    const cause = err?.cause;
    return { error: String(cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? err?.message ?? err) };
  }
}

/**
 * Where a URL Ponte gave us (a webhook, or media to send) is actually reached. With `ponteUrl`, Ponte
 * may hand out its public URL while running locally: the origin is swapped, path and query kept.
 */
export function reachableUrl(registeredUrl, ponteUrl) {
  if (!ponteUrl) return registeredUrl;
  const registered = new URL(registeredUrl);
  return new URL(registered.pathname + registered.search, ponteUrl).toString();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Current Unix time in seconds (Telegram dates). */
export const unixNow = () => Math.floor(Date.now() / 1000);
