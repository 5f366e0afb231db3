/**
 * Shared helpers of the browser tests (test/e2e/*.test.mjs), run by `npm run test:e2e` (tools/e2e/run.mjs),
 * which starts the stack, seeds the quick demo and passes BASE_URL and FAKES_URL.
 *
 * Every browser is Debian's Chromium driven by playwright-core, headless, with a fresh --user-data-dir
 * that is removed on close. Tests wait on conditions (locators, `waitUntil`), never on fixed sleeps.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = need('BASE_URL');
export const FAKES_URL = need('FAKES_URL');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Upper bound of one test (node:test `timeout`). */
export const TEST_TIMEOUT = 120_000;
/** Default wait for a UI condition. */
export const WAIT = 15_000;

export const TG_TOKEN = '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ';
export const AUTO_REPLY = 'Recebemos a sua mensagem e um atendente já vai responder. / A manager will answer shortly.';

export const logins = {
  admin: { email: 'admin@demo.ponte', password: 'demo-admin', name: 'Admin' },
  ana: { email: 'ana@demo.ponte', password: 'demo-ana', name: 'Ana' },
  bruno: { email: 'bruno@demo.ponte', password: 'demo-bruno', name: 'Bruno' },
  olga: { email: 'olga@demo.ponte', password: 'demo-olga', name: 'Olga' },
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with \`npm run test:e2e\``);
  return v.replace(/\/$/, '');
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One person at one browser: a Chromium process with its own fresh profile (so its own cookies).
 * `dialogs` collects every JS dialog (alert/confirm/prompt) any page opened; they are dismissed.
 * `errors` collects uncaught page errors.
 */
export async function openBrowser({ viewport = { width: 1280, height: 800 }, locale = 'en-US' } = {}) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'ponte-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport,
      locale,
      timezoneId: 'UTC',
      timeout: 30_000,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(WAIT);
  await context.addInitScript(socketControl);
  const dialogs = [];
  const errors = [];
  const watch = (page) => {
    page.on('dialog', (d) => {
      dialogs.push({ type: d.type(), message: d.message() });
      void d.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (e) => errors.push(e));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    dialogs,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs in every page before the app: keeps the open WebSockets in `window.__e2eSockets`, and refuses
 * new ones while `window.__e2eBlockSockets` is set, so a test can cut the live connection and hold it
 * down (see `cutLive` / `restoreLive`).
 */
function socketControl() {
  const Native = window.WebSocket;
  const open = new Set();
  Object.defineProperty(window, '__e2eSockets', { value: open });
  window.__e2eBlockSockets = false;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      if (window.__e2eBlockSockets) throw new DOMException('blocked by the test', 'NetworkError');
      super(url, protocols);
      open.add(this);
      this.addEventListener('close', () => open.delete(this));
    }
  };
}

/**
 * Holds the page's next live sockets to `pathname` before they reach the server (the page sees them
 * open, and nothing arrives) until the returned function is called: they then connect and pass frames
 * both ways.
 */
export async function holdSocket(page, pathname) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.routeWebSocket((url) => url.pathname === pathname, async (ws) => {
    await held;
    ws.connectToServer();
  });
  return release;
}

/** Resolves when a live socket of the page to `pathname` gets its `ready` frame (from then on it misses nothing). */
export function socketReady(page, pathname) {
  return new Promise((resolve) => page.on('websocket', (ws) => {
    if (new URL(ws.url()).pathname === pathname) ws.on('framereceived', (f) => String(f.payload).includes('"type":"ready"') && resolve());
  }));
}

/**
 * Opens the chat in a second tab of the page's browser, listening (what shows there has had its frame
 * sent), then in `page` with its chat socket held back until `letConnect()`.
 */
export async function openChatHeldBack(context, page, chatId) {
  const witness = await context.newPage();
  const roomPath = `/api/chats/${chatId}/live`;
  const witnessReady = socketReady(witness, roomPath);
  await openChat(witness, chatId);
  await witnessReady;
  const letConnect = await holdSocket(page, roomPath);
  await openChat(page, chatId);
  return { witness, letConnect };
}

/** Closes the page's live sockets and keeps them from reconnecting until `restoreLive`. */
export async function cutLive(page) {
  return page.evaluate(() => {
    window.__e2eBlockSockets = true;
    const n = window.__e2eSockets.size;
    for (const ws of window.__e2eSockets) ws.close();
    return n;
  });
}
/**
 * Lets sockets connect again and fires the browser's `online` event, as a real network coming back
 * does (the app then reconnects at once instead of waiting out its backoff, which grows while the
 * connection is held down).
 */
export const restoreLive = (page) =>
  page.evaluate(() => {
    window.__e2eBlockSockets = false;
    window.dispatchEvent(new Event('online'));
  });

/** Runs `fn(browser)` with a fresh browser and always closes it. */
export async function withBrowser(opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  const b = await openBrowser(opts);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}

/**
 * Navigates, and once more if the page does not load: local `wrangler dev` now and then leaves one
 * request hanging (seen in the bench as a keep-alive GET that never answered, and in full browser runs
 * as a /login and a /chats/:id that never loaded, each passing in other runs). The second try is
 * said on stderr, so a server that really stopped answering still fails, and visibly.
 */
export async function gotoOnceMore(page, url) {
  try {
    return await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15_000 });
  } catch (err) {
    if (err?.name !== 'TimeoutError') throw err;
    console.error(`# ${url} did not load in 15 s; trying once more`);
    return page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
  }
}

/** Logs in through the login form and waits for the inbox shell. */
export async function login(page, who) {
  const user = typeof who === 'string' ? logins[who] : who;
  // The form is usable once the DOM is there; waiting for every asset's load event only adds noise.
  await gotoOnceMore(page, `${BASE_URL}/login`);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'), { timeout: WAIT }).then((r) => r.status(), () => 'no answer');
  await page.getByTestId('login-submit').click();
  try {
    await page.getByTestId('user-menu-button').waitFor();
  } catch (err) {
    // Say what happened, so a failure tells a refused login from a server that stopped answering.
    const shown = await page.getByTestId('login-error').textContent({ timeout: 1000 }).catch(() => null);
    const t0 = Date.now();
    const probe = await fetch(`${BASE_URL}/api/me`).then((r) => r.status, (e) => String(e));
    throw new Error(`login as ${user.email} did not reach the inbox: POST /api/auth/login → ${await answered}, page ${page.url()}, error shown ${JSON.stringify(shown)}; GET /api/me answered ${probe} in ${Date.now() - t0} ms`, { cause: err });
  }
  await page.getByTestId('chat-list').waitFor();
}

/** Opens a group tab of the inbox and waits until its list is shown. */
export async function openGroup(page, group) {
  await page.getByTestId(`group-tab-${group}`).click();
  await expectAttr(page.getByTestId(`group-tab-${group}`), 'aria-selected', 'true');
}

/** The list row of a chat, found by its contact name (names are unique per test). */
export const rowByName = (page, name) => page.getByTestId('chat-list-item').filter({ has: page.getByTestId('chat-list-item-name').getByText(name, { exact: true }) });

/** Polls `fn` until it returns a truthy value (returned) or throws after `timeout`. */
export async function waitUntil(fn, { timeout = WAIT, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${message}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Waits until a locator's attribute has the value. */
export async function expectAttr(locator, name, value, timeout = WAIT) {
  await waitUntil(async () => (await locator.getAttribute(name, { timeout: 1000 })) === value, { timeout, message: `${name}="${value}"` });
}

/** Waits until the locator matches exactly `n` elements. */
export async function expectCount(locator, n, timeout = WAIT) {
  await waitUntil(async () => (await locator.count()) === n, { timeout, message: `${n} matching elements` });
}

/**
 * A Telegram client nobody has seen before: a unique id, and a unique name unless `lastName` is given
 * (the README screenshots use realistic names).
 */
export function newClient(firstName = 'Client', lastName = `E2E-${randomBytes(3).toString('hex')}`) {
  return {
    id: randomInt(6_000_000_000, 6_999_999_999),
    first_name: firstName,
    last_name: lastName,
    language_code: 'en',
    get name() {
      return `${this.first_name} ${this.last_name}`;
    },
  };
}

async function control(route, body) {
  const res = await fetch(FAKES_URL + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `fakes ${route} → ${res.status} ${text}`);
  return JSON.parse(text);
}

/** The demo Telegram bot's next `count` sends fail with `mode` ("500", "429" with `retryAfter` seconds, …). */
export const failNextTelegramSends = (mode, count, retryAfter) => control('/_control/fail', { channel: 'telegram', token: TG_TOKEN, mode, count, retryAfter });

/** The simulated Telegram client writes to the demo bot; resolves once Ponte's webhook answered 200. */
export async function clientWrites(client, text) {
  const { first_name, last_name, id, language_code } = client;
  const out = await control('/_control/telegram/send', { token: TG_TOKEN, user: { id, first_name, last_name, language_code }, text });
  assert.equal(out.webhook?.status, 200, `webhook answered ${JSON.stringify(out.webhook)}`);
  return out;
}

/** What the demo bot sent this client so far (texts, oldest first). */
export async function botTexts(client) {
  const res = await fetch(`${FAKES_URL}/_control/sent?token=${encodeURIComponent(TG_TOKEN)}`);
  assert.ok(res.ok);
  const data = await res.json();
  return (data.conversations[String(client.id)] ?? []).filter((m) => m.from === 'bot').map((m) => m.text);
}

/** Waits until the simulator saw the bot send `text` to the client `times` times (or more). */
export async function waitBotSent(client, text, { times = 1, timeout = WAIT } = {}) {
  return waitUntil(async () => (await botTexts(client)).filter((t) => t === text).length >= times, { timeout, message: `the simulator to receive "${text}" ×${times}` });
}

/**
 * A small JSON client for the API outside the browser: tests use it to look facts up (who the queue
 * picked, a chat's id), while every action under test goes through the UI.
 */
export async function apiSession(who) {
  const user = typeof who === 'string' ? logins[who] : who;
  const res = await fetch(`${BASE_URL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: user.password }) });
  assert.equal(res.status, 200, `login ${user.email}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const get = async (p) => {
    const r = await fetch(BASE_URL + p, { headers: { cookie, accept: 'application/json' } });
    assert.ok(r.ok, `GET ${p} → ${r.status}`);
    return r.json();
  };
  return { cookie, get };
}

/** Finds a chat by its contact name through the archive API (as the admin sees it). */
export async function chatByContact(api, name) {
  return waitUntil(async () => {
    const page = await api.get(`/api/chats/archive?q=${encodeURIComponent(name)}&limit=20`);
    return page.items.find((c) => c.contact.name === name);
  }, { message: `the chat of ${name}` });
}

export const usersByEmail = async (api) => Object.fromEntries((await api.get('/api/users')).map((u) => [u.email, u]));

const screenshotFile = (name) => path.join(repoRoot, 'docs', 'screenshots', `${name}.png`);

/** True when `readmeScreenshot` would write any of these (missing, or UPDATE_SCREENSHOTS=1). */
export const screenshotsWanted = (names) => process.env.UPDATE_SCREENSHOTS === '1' || names.some((n) => !existsSync(screenshotFile(n)));

/**
 * Saves a README screenshot to docs/screenshots/<name>.png, only when it is missing or when
 * UPDATE_SCREENSHOTS=1, so normal runs leave the tree clean. Returns the path when written.
 */
export async function readmeScreenshot(page, name) {
  const file = screenshotFile(name);
  if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== '1') return null;
  mkdirSync(path.dirname(file), { recursive: true });
  // No caret or hover artefacts; animations settled.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}

/** Which demo manager ('ana' | 'bruno') a user id is, or null. */
export async function managerKey(api, userId) {
  if (!userId) return null;
  const users = await usersByEmail(api);
  for (const key of ['ana', 'bruno', 'admin']) if (users[logins[key].email].id === userId) return key;
  return null;
}

/**
 * A new client writes `text`; resolves with the chat (as the admin sees it) once it exists and the
 * demo manager the queue gave it to.
 */
export async function newChat(api, client, text) {
  await clientWrites(client, text);
  const chat = await chatByContact(api, client.name);
  return { chat, manager: await managerKey(api, chat.responsibleId) };
}

/** newChat, for tests that log in as the manager: the demo queue must have given it to an employee. */
export async function newEmployeeChat(api, client, text) {
  const made = await newChat(api, client, text);
  assert.ok(made.manager === 'ana' || made.manager === 'bruno', `the queue gave the chat to ${made.manager}`);
  return made;
}

/** Opens a chat by its URL and waits until its history is shown. */
export async function openChat(page, chatId) {
  await gotoOnceMore(page, `${BASE_URL}/chats/${chatId}`);
  await page.locator(`[data-testid="chat-view"][data-chat-id="${chatId}"]`).waitFor();
  await page.getByTestId('timeline-message').first().waitFor();
}

/** Timeline messages whose text is exactly `text`. */
export const messagesWithText = (page, text) =>
  page.getByTestId('timeline-message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });

/** Marks the page's JS realm; `assertNoReload` later proves the page was never reloaded in between. */
export const markPage = (page) => page.evaluate(() => ((window).__e2eMark = 'same-page'));
export async function assertNoReload(page) {
  assert.equal(await page.evaluate(() => (window).__e2eMark), 'same-page', 'the page was reloaded');
}
