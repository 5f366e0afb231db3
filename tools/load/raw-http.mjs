/**
 * The load tests' raw HTTP client and deadlines. Every call ends: a socket that goes quiet, an answer
 * whose body never ends, an upload the server stopped reading — each resolves by its deadline with what
 * came back, and the socket is destroyed so nothing keeps the process alive.
 */
import http from 'node:http';

/** A socket quiet this long is given up on (no bytes either way). */
export const SOCKET_IDLE_MS = 15_000;
/** No call takes longer than this, however the server trickles. */
export const CALL_DEADLINE_MS = 30_000;

/**
 * A raw HTTP call over node:http (fetch hides the answer when the server replies before the upload is
 * over, as a 413 should). `chunked` sends without Content-Length. Resolves {status, body, note?}: status
 * 0 when no answer came; `note` says why an answer is incomplete (its body did not end in time).
 */
export function rawFetch(baseUrl, method, path, headers, body, chunked = false, { deadlineMs = CALL_DEADLINE_MS, idleMs = SOCKET_IDLE_MS } = {}) {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.from(body);
  return new Promise((resolve) => {
    let response = null;
    const chunks = [];
    let settled = false;
    const settle = (note) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      const text = Buffer.concat(chunks).toString('utf8');
      if (response) resolve({ status: response.statusCode, body: text, ...(note ? { note } : {}) });
      else resolve({ status: 0, body: note ?? 'no answer' });
      // Whatever is still in flight (our upload, their body) is of no more use.
      req.destroy();
    };
    const deadline = setTimeout(() => settle(response ? `the answer did not end within ${deadlineMs / 1000} s` : `no answer within ${deadlineMs / 1000} s`), deadlineMs);

    const req = http.request({
      host: url.hostname, port: url.port, method, path, agent: false,
      headers: { ...headers, ...(payload && !chunked ? { 'content-length': payload.length } : {}), ...(chunked ? { 'transfer-encoding': 'chunked' } : {}) },
    }, (res) => {
      response = res;
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => settle());
      res.on('aborted', () => settle('the connection closed before the answer ended'));
      res.on('error', (err) => settle(`the answer broke off: ${err.message}`));
      res.on('close', () => settle(res.complete ? undefined : 'the connection closed before the answer ended'));
    });
    // An early answer closes the socket under our upload: that is the answer, not an error.
    req.on('error', (err) => { if (!response) settle(`network error: ${err.message}`); });
    req.on('close', () => { if (!response) settle('the connection closed without an answer'); });
    req.setTimeout(idleMs, () => settle(response ? `the answer stalled for ${idleMs / 1000} s` : `no answer: the socket was idle for ${idleMs / 1000} s`));
    if (payload && chunked) {
      for (let i = 0; i < payload.length; i += 64 * 1024) req.write(payload.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(payload);
  });
}

/** `work`, or a rejection naming `what` once `ms` passed (the work itself is left to finish or not). */
export function withDeadline(work, ms, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([Promise.resolve(work), expired]).finally(() => clearTimeout(timer));
}
