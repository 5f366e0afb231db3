/**
 * Issue 16 parts 3–4 in a browser, with the messenger simulators: an administrator switches the demo
 * Telegram bot's satisfaction survey on in Settings, a manager closes a chat, the client presses "4" on
 * the simulator's phone page (a real-shaped callback_query) and writes a comment, and the chat shows
 * the rating live; then a manager edits and deletes a sent reply and the simulated Telegram chat shows
 * the new text, then loses the message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, BASE_URL, chatByContact, clientWrites, FAKES_URL, login, messagesWithText, newClient, openChat, TEST_TIMEOUT, TG_TOKEN,
  waitUntil, withBrowser,
} from './support.mjs';

const QUESTION = 'How would you rate our service? Tap a number: 1 = very poor, 5 = excellent.';

/** The simulated Telegram chat of one client, as the fakes keep it. */
async function phoneChat(client) {
  const res = await fetch(`${FAKES_URL}/_control/sent?token=${encodeURIComponent(TG_TOKEN)}`);
  return (await res.json()).conversations[String(client.id)] ?? [];
}

/** Opens the chat's side panel unless it already shows (it opens by itself where there is room). */
async function openPanel(page) {
  if ((await page.getByTestId('side-panel').count()) === 0) await page.getByTestId('qa-info').click();
  await page.getByTestId('side-panel').getByTestId('panel-details').waitFor();
}

async function setCsat(admin, id, on) {
  await fetch(`${BASE_URL}/api/integrations/${id}`, {
    method: 'PATCH', headers: { cookie: admin.cookie, origin: BASE_URL, 'content-type': 'application/json' }, body: JSON.stringify({ csatEnabled: on }),
  });
}

test('a rating pressed in the simulator shows in the chat, with its comment', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await apiSession('admin');
  const bot = (await admin.get('/api/integrations')).find((i) => i.channel === 'telegram' && i.enabled);
  assert.ok(bot, 'the demo has a Telegram bot');
  try {
    await withBrowser({}, async ({ page, context }) => {
      await login(page, 'admin');
      await gotoOnceMore(page, `${BASE_URL}/settings/integrations`);
      const toggle = page.locator(`[data-testid="integration"][data-integration-id="${bot.id}"]`).getByTestId('csat-enabled');
      await toggle.check();
      await waitUntil(async () => (await admin.get('/api/integrations')).find((i) => i.id === bot.id).csatEnabled === true, { message: 'survey on' });

      const client = newClient('Avalia');
      await clientWrites(client, 'Olá, o meu pedido chegou?');
      const chat = await chatByContact(admin, client.name);
      await openChat(page, chat.id);
      await page.getByTestId('qa-close').click();
      await page.locator('[data-testid="timeline-event"][data-event-type="csat_asked"]').waitFor();

      // The question reaches the simulated phone with its five buttons.
      const question = await waitUntil(async () => (await phoneChat(client)).find((m) => m.from === 'bot' && m.text === QUESTION && m.buttons), { message: 'the rating question on the phone' });
      assert.deepEqual(question.buttons.map((b) => b.data), ['csat:1', 'csat:2', 'csat:3', 'csat:4', 'csat:5']);

      // The client presses "4" on the simulator's phone page.
      const phone = await context.newPage();
      await phone.goto(`${FAKES_URL}/`);
      await phone.locator('#bot').selectOption(TG_TOKEN);
      await phone.locator('#uid').fill(String(client.id));
      await phone.locator('#uid').dispatchEvent('change');
      await phone.locator('button[data-press="csat:4"]').click();
      await phone.getByTestId('phone-press').filter({ hasText: 'Thank you!' }).waitFor();

      // The manager's open chat shows it live: the event line, and the details panel.
      await page.locator('[data-testid="timeline-event"][data-event-type="csat_rated"]').getByText('The client rated the service 4/5').waitFor();
      await openPanel(page);
      const rating = page.getByTestId('side-panel').getByTestId('details-csat');
      await waitUntil(async () => (await rating.getAttribute('data-rating')) === '4', { message: 'the rating in the details panel' });

      // The client's next text is the comment: the chat stays closed and the panel shows it.
      await clientWrites(client, 'Entrega rápida, obrigado!');
      await page.locator('[data-testid="timeline-event"][data-event-type="csat_commented"]').waitFor();
      await waitUntil(async () => (await admin.get(`/api/chats/${chat.id}`)).csat?.comment === 'Entrega rápida, obrigado!', { message: 'the comment stored' });
      assert.equal((await admin.get(`/api/chats/${chat.id}`)).status, 'closed');
      await page.reload();
      await openPanel(page);
      await page.getByTestId('details-csat-comment').getByText('Entrega rápida, obrigado!').waitFor();
    });
  } finally {
    await setCsat(admin, bot.id, false);
  }
});

test('editing a reply updates it in the simulated Telegram chat; deleting removes it', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  await withBrowser({}, async ({ page }) => {
    await login(page, 'admin');
    const client = newClient('Edita');
    await clientWrites(client, 'Quanto custa o envio?');
    const chat = await chatByContact(admin, client.name);
    await openChat(page, chat.id);
    await page.getByTestId('composer').fill('O envio custa 5 euros.');
    await page.getByTestId('send-button').click();
    const reply = messagesWithText(page, 'O envio custa 5 euros.');
    await reply.locator('[data-testid="message-status"][data-status="sent"], [data-testid="message-status"][data-status="delivered"], [data-testid="message-status"][data-status="seen"]').waitFor();
    await waitUntil(async () => (await phoneChat(client)).some((m) => m.from === 'bot' && m.text === 'O envio custa 5 euros.'), { message: 'the reply on the phone' });

    await reply.getByTestId('reply-edit').click();
    await reply.getByTestId('reply-edit-text').fill('O envio é grátis acima de 50 euros.');
    await reply.getByTestId('reply-edit-save').click();
    const edited = messagesWithText(page, 'O envio é grátis acima de 50 euros.');
    await edited.getByText('edited').waitFor();
    await page.locator('[data-testid="timeline-event"][data-event-type="message_edited"]').waitFor();
    const onPhone = await waitUntil(async () => (await phoneChat(client)).find((m) => m.from === 'bot' && m.text === 'O envio é grátis acima de 50 euros.'), { message: 'the edit on the phone' });
    assert.equal(onPhone.edited, true);
    assert.ok(!(await phoneChat(client)).some((m) => m.text === 'O envio custa 5 euros.'), 'the old text is gone from the phone');

    await edited.getByTestId('reply-delete').click();
    await edited.getByTestId('reply-delete-confirm').click();
    await edited.getByTestId('message-deleted').waitFor();
    await page.locator('[data-testid="timeline-event"][data-event-type="message_deleted"]').waitFor();
    await waitUntil(async () => (await phoneChat(client)).find((m) => m.messageId === onPhone.messageId)?.deleted === true, { message: 'the delete on the phone' });
  });
});

test('a live change to a reply keeps what the manager has open on it: a half-typed edit, a delete being confirmed', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const api = (method, path, body) => fetch(BASE_URL + path, {
    method, headers: { cookie: admin.cookie, origin: BASE_URL, 'content-type': 'application/json' }, body: body && JSON.stringify(body),
  });
  await withBrowser({}, async ({ page }) => {
    await login(page, 'admin');
    const client = newClient('Rascunho');
    await clientWrites(client, 'Têm o modelo azul?');
    const chat = await chatByContact(admin, client.name);
    const sent = [];
    for (const text of ['Temos sim.', 'Chega amanhã.']) {
      const res = await api('POST', `/api/chats/${chat.id}/messages`, { text });
      assert.ok(res.ok, `send → ${res.status}`);
      sent.push(await res.json());
    }
    await waitUntil(async () => (await phoneChat(client)).filter((m) => m.from === 'bot' && sent.some((s) => s.text === m.text)).length === 2, { message: 'both replies on the phone' });
    await openChat(page, chat.id);
    const first = messagesWithText(page, 'Temos sim.');
    const second = messagesWithText(page, 'Chega amanhã.');
    await first.locator('[data-testid="message-status"][data-status="sent"]').waitFor();
    await second.locator('[data-testid="message-status"][data-status="sent"]').waitFor();

    await first.getByTestId('reply-edit').click();
    await first.getByTestId('reply-edit-text').fill('Temos sim, em três tamanhos.');
    await second.getByTestId('reply-delete').click();
    await second.getByTestId('reply-delete-confirm').waitFor();

    // A colleague's edits reach this page as live frames for the very messages the manager has open.
    assert.equal((await api('PATCH', `/api/chats/${chat.id}/messages/${sent[0].id}`, { text: 'Temos sim!' })).status, 202);
    assert.equal((await api('PATCH', `/api/chats/${chat.id}/messages/${sent[1].id}`, { text: 'Chega amanhã cedo.' })).status, 202);
    // Both edits delivered and their last frames (no change pending, "edited") in the page.
    await waitUntil(async () => (await phoneChat(client)).filter((m) => m.text === 'Temos sim!' || m.text === 'Chega amanhã cedo.').length === 2, { message: 'the edits on the phone' });
    for (const text of ['Temos sim!', 'Chega amanhã cedo.']) await messagesWithText(page, text).getByText('edited', { exact: true }).waitFor();
    await waitUntil(async () => (await page.getByText('editing…').count()) === 0, { message: 'no change pending in the page' });

    assert.equal(await page.getByTestId('reply-edit-text').inputValue(), 'Temos sim, em três tamanhos.', 'the half-typed edit survives');
    await messagesWithText(page, 'Chega amanhã cedo.').getByTestId('reply-delete-confirm').click();
    await messagesWithText(page, 'Chega amanhã cedo.').getByTestId('message-deleted').waitFor();
  });
});

test('a Viber reply offers no edit or delete, and says why', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const VB_TOKEN = '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73'; // the demo Viber bot (tools/demo/seed.mjs)
  const name = `Viber E2E-${Date.now().toString(36)}`;
  const res = await fetch(`${FAKES_URL}/_control/viber/send`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: VB_TOKEN, user: { id: `${Date.now().toString(36)}E2e==`, name }, text: 'Bom dia!' }),
  });
  assert.ok(res.ok, `viber send → ${res.status}`);
  const chat = await chatByContact(admin, name);
  await withBrowser({}, async ({ page }) => {
    await login(page, 'admin');
    await openChat(page, chat.id);
    await page.getByTestId('composer').fill('Bom dia! Em que posso ajudar?');
    await page.getByTestId('send-button').click();
    const reply = messagesWithText(page, 'Bom dia! Em que posso ajudar?');
    await reply.locator('[data-testid="message-status"]:not([data-status="sending"])').waitFor();
    const note = reply.getByTestId('reply-cannot-change');
    await note.waitFor();
    assert.equal(await note.getAttribute('title'), 'Viber does not let bots edit or delete a message they sent.');
    assert.equal(await reply.getByTestId('reply-edit').count(), 0);
    assert.equal(await reply.getByTestId('reply-delete').count(), 0);
  });
});
