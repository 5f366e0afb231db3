/**
 * A conversation end to end: a simulated Telegram client writes, the chat shows up live for the
 * manager the queue picked, the manager answers from the composer and the client receives it; closing
 * and a new client message reopen it to the same manager with the auto-reply.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, assertNoReload, AUTO_REPLY, BASE_URL, botTexts, chatByContact, clientWrites, cutLive, expectAttr, expectCount, failNextTelegramSends, holdSocket, login,
  openChatHeldBack,
  managerKey, markPage, messagesWithText, newClient, newEmployeeChat, openBrowser, openChat, openGroup, restoreLive, rowByName,
  socketReady, TEST_TIMEOUT, WAIT, waitBotSent, waitUntil, withBrowser,
} from './support.mjs';

test('a client writes: the chat appears live in My threads of the manager the queue picked (or Unassigned); the reply reaches the client', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const ana = await openBrowser();
  const bruno = await openBrowser();
  try {
    const managers = { ana, bruno };
    for (const [key, b] of Object.entries(managers)) {
      await login(b.page, key);
      await openGroup(b.page, 'mine');
      await markPage(b.page);
    }

    const client = newClient('Live');
    await clientWrites(client, 'Hello, is anyone there?');

    // The queue decides who gets it; whoever that is sees it appear without reloading.
    const chat = await chatByContact(admin, client.name);
    const key = await managerKey(admin, chat.responsibleId);
    let page;
    if (key === 'ana' || key === 'bruno') {
      page = managers[key].page;
      const other = managers[key === 'ana' ? 'bruno' : 'ana'].page;
      await rowByName(page, client.name).waitFor();
      await assertNoReload(page);
      // Not in the colleague's My threads; there it is one of Others' threads, live as well.
      await expectCount(rowByName(other, client.name), 0);
      await openGroup(other, 'others');
      await rowByName(other, client.name).waitFor();
      await assertNoReload(other);
    } else {
      assert.equal(chat.responsibleId, null, `unexpected responsible ${chat.responsibleId}`);
      page = ana.page;
      await openGroup(page, 'unassigned');
      await rowByName(page, client.name).waitFor();
      await assertNoReload(page);
    }
    const row = rowByName(page, client.name);
    await row.getByTestId('unread-badge').waitFor();
    await row.getByText('Hello, is anyone there?').waitFor();

    // Open it from the list and answer with the composer (Enter sends).
    await row.click();
    await page.locator(`[data-testid="chat-view"][data-chat-id="${chat.id}"]`).waitFor();
    await messagesWithText(page, 'Hello, is anyone there?').waitFor();
    const reply = `Hi ${client.first_name}! Yes — how can I help? (${client.last_name})`;
    await page.getByTestId('composer').fill(reply);
    await page.getByTestId('composer').press('Enter');
    const mine = messagesWithText(page, reply);
    await mine.waitFor();
    assert.equal(await mine.getAttribute('data-direction'), 'out');
    assert.equal(await page.getByTestId('composer').inputValue(), '');

    // The simulator receives it, and the delivery status reaches the open chat live.
    await waitBotSent(client, reply);
    await expectAttr(mine.getByTestId('message-status'), 'data-status', 'sent');
    await expectCount(mine, 1);
    await assertNoReload(page);
    // The list row follows the conversation too.
    await rowByName(page, client.name).getByText(reply).waitFor();
  } finally {
    await ana.close();
    await bruno.close();
  }
});

test('close → the client writes again → reopened to the same manager with the auto-reply (UI and simulator)', { timeout: TEST_TIMEOUT }, async (t) => {
  const admin = await apiSession('admin');
  const client = newClient('Reopen');
  const { chat, manager } = await newEmployeeChat(admin, client, 'I need an invoice, please');
  // The first text got the auto-reply once.
  await waitBotSent(client, AUTO_REPLY, { times: 1 });

  await withBrowser(async ({ page }) => {
    await login(page, manager);
    await openChat(page, chat.id);
    await markPage(page);
    await expectCount(messagesWithText(page, AUTO_REPLY), 1);

    await page.getByTestId('qa-close').click();
    await page.getByTestId('chat-closed-badge').waitFor();
    await page.getByTestId('qa-reopen').waitFor();
    await page.locator('[data-testid="timeline-event"][data-event-type="closed"]').waitFor();
    await openGroup(page, 'closed');
    await rowByName(page, client.name).waitFor();
    await openGroup(page, 'mine');
    await expectCount(rowByName(page, client.name), 0);

    await clientWrites(client, 'Sorry, one more thing: the invoice number?');

    // Live: the chat reopens under the same manager, with the client's message and the auto-reply.
    await messagesWithText(page, 'Sorry, one more thing: the invoice number?').waitFor();
    await expectCount(page.getByTestId('chat-closed-badge'), 0);
    await page.getByTestId('qa-close').waitFor();
    await expectCount(messagesWithText(page, AUTO_REPLY), 2);
    const autoReply = messagesWithText(page, AUTO_REPLY).last();
    assert.equal(await autoReply.getAttribute('data-direction'), 'out');
    // It comes after the client's new message.
    const order = await page.getByTestId('timeline-message').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    const iNew = order.findIndex((t) => t.includes('Sorry, one more thing'));
    const iAuto = order.findLastIndex((t) => t.includes(AUTO_REPLY));
    assert.ok(iNew >= 0 && iAuto > iNew, 'the auto-reply follows the reopening message');
    await rowByName(page, client.name).waitFor(); // back in My threads
    await assertNoReload(page);

    // The reopen shows live in the open chat window, before any reload.
    await page.locator('[data-testid="timeline-event"][data-event-type="reopened"]').waitFor({ timeout: 10_000 });
    // In the history it is there, between the close and the client's new message.
    await page.reload();
    await page.getByTestId('timeline-message').first().waitFor();
    const kinds = await page.locator('[data-testid="timeline-event"], [data-testid="timeline-message"]').evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-event-type') ?? e.textContent ?? ''),
    );
    const iClosed = kinds.indexOf('closed');
    const iReopened = kinds.indexOf('reopened');
    const iAgain = kinds.findIndex((k) => k.includes('Sorry, one more thing'));
    assert.ok(iClosed >= 0 && iReopened > iClosed && iAgain > iReopened, `timeline order: ${JSON.stringify(kinds)}`);
  });

  // The simulator got the auto-reply a second time, and the server agrees on the responsible.
  await waitBotSent(client, AUTO_REPLY, { times: 2 });
  assert.equal((await botTexts(client)).filter((t) => t === AUTO_REPLY).length, 2);
  const after = await waitUntil(async () => {
    const c = await chatByContact(admin, client.name);
    return c.status === 'open' && c;
  }, { message: 'the chat to be open again' });
  assert.equal(after.responsibleId, chat.responsibleId);
  assert.equal(await managerKey(admin, after.responsibleId), manager);
});

test('a chat closed while "My threads" is still loading does not come back from the older page', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Race');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Closing while the list loads');

  await withBrowser(async ({ page }) => {
    await login(page, manager);
    // Hold the list's answer (read before the close) until the chat has been closed.
    let release;
    const closed = new Promise((r) => (release = r));
    let answered;
    const listAnswered = new Promise((r) => (answered = r));
    await page.route(/\/api\/chats\?group=mine/, async (route) => {
      const response = await route.fetch();
      await closed;
      await route.fulfill({ response });
      answered();
    });
    await gotoOnceMore(page, `${BASE_URL}/chats/${chat.id}`);
    await page.getByTestId('qa-close').click();
    await page.getByTestId('chat-closed-badge').waitFor();
    release();
    await listAnswered;
    await expectCount(page.getByTestId('chat-list').getByTestId('loading'), 0);
    await expectCount(rowByName(page, client.name), 0);
    await openGroup(page, 'closed');
    await rowByName(page, client.name).waitFor();
  });
});

test('a chat closed before the live feed listens leaves My threads once it does (the list read before it is read again)', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Unheard');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Closed before the feed listens');

  await withBrowser(async ({ context, page }) => {
    await login(page, manager);
    // A second tab of the same manager, listening: it shows when the close's frame has gone out.
    const witness = await context.newPage();
    const witnessReady = socketReady(witness, '/api/live');
    await gotoOnceMore(witness, BASE_URL);
    await rowByName(witness, client.name).waitFor();
    await witnessReady;

    // This tab's inbox socket is held back: its list is read, the chat closed by someone else, and the
    // close's frame sent, all before it listens.
    const letConnect = await holdSocket(page, '/api/live');
    await gotoOnceMore(page, BASE_URL);
    await openGroup(page, 'mine');
    await rowByName(page, client.name).waitFor();

    const res = await fetch(`${BASE_URL}/api/chats/${chat.id}/close`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200, `close → ${res.status}`);
    await expectCount(rowByName(witness, client.name), 0);

    letConnect();
    await expectCount(rowByName(page, client.name), 0);
    await openGroup(page, 'closed');
    await rowByName(page, client.name).waitFor();
  });
});

test('a client message sent before the open chat\'s socket listens still shows in it once it does', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Early');
  const { chat, manager } = await newEmployeeChat(admin, client, 'First words');
  const later = 'Written before the chat socket listened';

  await withBrowser(async ({ context, page }) => {
    await login(page, manager);
    const { witness, letConnect } = await openChatHeldBack(context, page, chat.id);
    await clientWrites(client, later);
    await messagesWithText(witness, later).waitFor();

    letConnect();
    await messagesWithText(page, later).waitFor();
    await expectCount(messagesWithText(page, 'First words'), 1);
  });
});

test('a reply sent while the open chat\'s socket connected shows as sent once it listens, not as sending', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Retry');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Any news?');
  await waitBotSent(client, AUTO_REPLY, { times: 1 });
  // The reply's first send is refused with a retry in 30 s: long enough to launch a browser, log in and
  // open the chat while it is sending, on a machine much slower than this one (8 s was not, on CI's).
  await failNextTelegramSends('429', 1, 30);
  const reply = 'Sent on the second try';
  const res = await fetch(`${BASE_URL}/api/chats/${chat.id}/messages`, {
    method: 'POST', headers: { cookie: (await apiSession(manager)).cookie, 'content-type': 'application/json' }, body: JSON.stringify({ text: reply }),
  });
  assert.ok(res.ok, `reply → ${res.status}`);

  await withBrowser(async ({ context, page }) => {
    await login(page, manager);
    const { witness, letConnect } = await openChatHeldBack(context, page, chat.id);
    const shown = messagesWithText(page, reply).getByTestId('message-status');
    assert.equal(await shown.getAttribute('data-status'), 'sending', 'the page read the reply while it was sending');
    await waitBotSent(client, reply, { timeout: 30_000 + WAIT });
    await expectAttr(messagesWithText(witness, reply).getByTestId('message-status'), 'data-status', 'sent');

    letConnect();
    await expectAttr(shown, 'data-status', 'sent');
  });
});

test('a lost connection shows the banner; on reconnect the missed frames are replayed once (?after=) and the app carries on', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Gap');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Hello before the gap');

  await withBrowser(async ({ page }) => {
    const urls = [];
    const frames = []; // for the failure message
    const newest = new Map(); // path → its newest socket
    const ready = new Set(); // sockets that got their `ready`
    page.on('websocket', (ws) => {
      const path = new URL(ws.url()).pathname;
      urls.push(ws.url());
      newest.set(path, ws);
      ws.on('framereceived', (f) => {
        frames.push(`${path} ${String(f.payload).slice(0, 160)}`);
        if (String(f.payload).includes('"type":"ready"')) ready.add(ws);
      });
      ws.on('close', () => frames.push(`${path} closed`));
    });
    await login(page, manager);
    await openChat(page, chat.id);
    await messagesWithText(page, 'Hello before the gap').waitFor();
    await markPage(page);
    const chatSockets = () => urls.filter((u) => new URL(u).pathname === `/api/chats/${chat.id}/live`);
    // Both streams of this page are live: the newest socket of each got its `ready`, so the app holds a
    // cursor to resume from (the sockets of the page before openChat's navigation do not count).
    const isReady = (path) => ready.has(newest.get(path));
    const allOpen = () => page.evaluate(() => [...window.__e2eSockets].every((ws) => ws.readyState === WebSocket.OPEN));
    await waitUntil(async () => isReady('/api/live') && isReady(`/api/chats/${chat.id}/live`) && (await allOpen()), { message: 'both sockets to be ready' });
    assert.equal(chatSockets().length, 1);

    // Cut both sockets (inbox feed and chat) and keep them down.
    assert.equal(await cutLive(page), 2);
    await page.getByTestId('reconnecting-banner').waitFor();

    // Meanwhile the client writes twice; nothing can reach the page.
    await clientWrites(client, 'Written during the gap 1');
    await clientWrites(client, 'Written during the gap 2');
    await waitUntil(async () => (await admin.get(`/api/chats/${chat.id}/timeline?limit=1`)).items[0]?.text === 'Written during the gap 2', { message: 'the messages to be stored' });
    await expectCount(messagesWithText(page, 'Written during the gap 1'), 0);

    // Back online: the sockets reconnect with ?after=<last seq> and the gap is replayed, once.
    await restoreLive(page);
    await messagesWithText(page, 'Written during the gap 2')
      .waitFor()
      .catch((err) => assert.fail(`${err.message}\nsockets: ${JSON.stringify(urls)}\nframes: ${frames.slice(-12).join('\n')}`));
    await expectCount(page.getByTestId('reconnecting-banner'), 0);
    await expectCount(messagesWithText(page, 'Written during the gap 1'), 1);
    await expectCount(messagesWithText(page, 'Written during the gap 2'), 1);
    await expectCount(messagesWithText(page, 'Hello before the gap'), 1);
    const again = chatSockets().slice(1);
    assert.ok(again.length >= 1 && again.every((u) => /^\d+$/.test(new URL(u).searchParams.get('after') ?? '')), `reconnect URLs ${JSON.stringify(again)}`);
    // The inbox feed resumes from its own cursor too (it may reconnect a moment after the chat).
    await waitUntil(() => urls.some((u) => new URL(u).pathname === '/api/live' && /^\d+$/.test(new URL(u).searchParams.get('after') ?? '')), {
      message: 'the inbox feed to reconnect with ?after=',
    }).catch((err) => assert.fail(`${err.message}\nsockets: ${JSON.stringify(urls)}\nframes: ${frames.filter((f) => f.startsWith('/api/live')).slice(-8).join('\n')}`));
    // The list row caught up too, and the chat still works both ways.
    await rowByName(page, client.name).getByText('Written during the gap 2').waitFor();
    await page.getByTestId('composer').fill('Got both, thanks');
    await page.getByTestId('composer').press('Enter');
    await waitBotSent(client, 'Got both, thanks');
    await expectAttr(messagesWithText(page, 'Got both, thanks').getByTestId('message-status'), 'data-status', 'sent');
    await assertNoReload(page);
  });
});
