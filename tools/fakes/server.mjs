// Local stand-ins for the Telegram Bot API and the Viber REST Bot API, plus a control API and a "phone"
// page, in one Node process. Run: node tools/fakes/server.mjs --port 8790 [--ponte-url http://127.0.0.1:8787]
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createControl, handleControl } from './control.mjs';
import { readBody, sendJson } from './http-util.mjs';
import { ControlError, createState } from './state.mjs';
import { handleTelegramApi } from './telegram-api.mjs';
import { handleViberApi } from './viber-api.mjs';

const PHONE_PAGE = new URL('./phone.html', import.meta.url);
const HUNG_REQUEST_MS = 120_000;

/**
 * Starts the fakes. `port` 0 picks a free port; `ponteUrl` redirects webhook and media URLs to that
 * origin; `log` receives one line per event (default: silent); `retryDelaysMs` / `viberReceipts` set the
 * initial config. Resolves to {url, telegramBase, viberBase, close(), control}.
 */
export async function startFakes({ port = 8790, host = '127.0.0.1', ponteUrl, log, ...options } = {}) {
  const timers = new Set();
  const hung = new Set();
  const fx = {
    state: createState(options),
    media: new Map(),
    ponteUrl: ponteUrl || undefined,
    log: log ?? (() => {}),
    url: '',
    later(fn, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        Promise.resolve(fn()).catch((err) => fx.log(`background task failed: ${err?.stack ?? err}`));
      }, ms);
      timers.add(timer);
    },
    clearTimers() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    // A scripted "timeout": never answer; the client's own timeout has to fire.
    hang(res) {
      hung.add(res);
      fx.later(() => res.destroy(), HUNG_REQUEST_MS);
      res.on('close', () => hung.delete(res));
    },
    storeMedia(file) {
      const id = randomBytes(8).toString('hex');
      fx.media.set(id, file);
      return id;
    },
  };
  const control = createControl(fx, options);
  const server = createServer((req, res) => {
    route(fx, control, req, res).catch((err) => {
      fx.log(`error on ${req.method} ${req.url}: ${err?.stack ?? err}`);
      if (!res.headersSent) sendJson(res, 500, { error: String(err?.message ?? err) });
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  fx.url = `http://${host}:${server.address().port}`;
  return {
    url: fx.url,
    telegramBase: fx.url,
    viberBase: fx.url,
    control,
    close: () =>
      new Promise((resolve) => {
        fx.clearTimers();
        for (const res of hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(fx, control, req, res) {
  const url = new URL(req.url, 'http://fake.local');
  const body = await readBody(req);
  if (url.pathname.startsWith('/bot') || url.pathname.startsWith('/file/bot')) return handleTelegramApi(fx, req, res, url, body);
  if (url.pathname.startsWith('/pa/')) return handleViberApi(fx, req, res, url, body);
  if (url.pathname.startsWith('/_control/')) {
    try {
      return sendJson(res, 200, await handleControl(control, req, url, body));
    } catch (err) {
      if (err instanceof ControlError || err instanceof SyntaxError) return sendJson(res, err.status ?? 400, { error: err.message });
      throw err;
    }
  }
  const media = /^\/viber-media\/([0-9a-f]+)\//.exec(url.pathname);
  if (req.method === 'GET' && media && fx.media.has(media[1])) {
    const file = fx.media.get(media[1]);
    res.writeHead(200, { 'content-type': file.mimeType ?? 'application/octet-stream', 'content-length': file.bytes.length });
    return res.end(file.bytes);
  }
  if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/phone')) {
    const html = await readFile(PHONE_PAGE);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(html);
  }
  sendJson(res, 404, { error: `not found: ${req.method} ${url.pathname}` });
}

function parseArgs(argv) {
  const args = { port: 8790, ponteUrl: process.env.PONTE_URL, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i] === '--ponte-url') args.ponteUrl = argv[++i];
    else if (argv[i] === '--quiet') args.quiet = true;
    else throw new Error(`unknown argument ${argv[i]} (use --port N, --ponte-url URL, --quiet)`);
  }
  return args;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const fakes = await startFakes({ port: args.port, ponteUrl: args.ponteUrl, log: args.quiet ? undefined : (line) => console.log(line) });
  console.log(`Ponte fakes on ${fakes.url}: Telegram ${fakes.telegramBase}/bot<token>/<method>, Viber ${fakes.viberBase}/pa/<method>, phone ${fakes.url}/`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => fakes.close().then(() => process.exit(0)));
}
