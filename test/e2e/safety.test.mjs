/**
 * What must never happen: an observer changing a conversation, and a client's text turning into HTML.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiSession, assertNoReload, expectCount, login, logins, messagesWithText, newChat, newClient, markPage, openBrowser, openChat, openGroup, rowByName,
  TEST_TIMEOUT, usersByEmail, waitUntil, withBrowser,
} from './support.mjs';

test('an Observer sees an observed chat read-only: no composer, no close/assign controls, and the API answers 403', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const olgaId = (await usersByEmail(admin))[logins.olga.email].id;
  const client = newClient('Observed');
  const { chat } = await newChat(admin, client, 'Can someone call me back?');

  const olga = await openBrowser();
  const boss = await openBrowser();
  try {
    await login(olga.page, 'olga');
    await openGroup(olga.page, 'others');
    await expectCount(rowByName(olga.page, client.name), 0); // not observed yet: not visible

    // The administrator adds Olga as an observer from the chat's details.
    await login(boss.page, 'admin');
    await openChat(boss.page, chat.id);
    await boss.page.getByTestId('qa-details').click();
    const observers = boss.page.getByTestId('details-popover').getByTestId('observers-editor');
    await observers.getByLabel('Olga', { exact: true }).check();
    await waitUntil(async () => (await admin.get(`/api/chats/${chat.id}`)).observerIds.includes(olgaId), { message: 'Olga to observe the chat' });

    // It appears in Olga's list live, and opens read-only.
    const page = olga.page;
    await rowByName(page, client.name).click();
    await page.locator(`[data-testid="chat-view"][data-chat-id="${chat.id}"]`).waitFor();
    await messagesWithText(page, 'Can someone call me back?').waitFor();
    await page.getByTestId('read-only-note').waitFor();
    await page.getByTestId('quick-actions').waitFor();
    for (const id of ['composer', 'send-button', 'attach-button', 'qa-close', 'qa-reopen', 'responsible-select']) {
      assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown to an observer`);
    }
    await page.getByTestId('qa-details').click();
    await page.getByTestId('details-popover').waitFor();
    assert.equal(await page.getByTestId('details-popover').locator('select, input[type="checkbox"]:not([data-testid="mute-toggle"] input)').count(), 0);

    // The server refuses anyway, even to a request made by hand from her page (same origin, her cookie).
    const refused = await page.evaluate(async (id) => {
      const post = (path, body) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.text() }));
      return {
        message: await post(`/api/chats/${id}/messages`, { text: 'I should not be able to send this' }),
        close: await post(`/api/chats/${id}/close`, {}),
      };
    }, chat.id);
    assert.equal(refused.message.status, 403, `POST /api/chats/:id/messages → ${refused.message.status} ${refused.message.body}`);
    assert.equal(refused.close.status, 403, `POST /api/chats/:id/close → ${refused.close.status} ${refused.close.body}`);
    const after = await admin.get(`/api/chats/${chat.id}`);
    assert.equal(after.status, 'open');
    const timeline = await admin.get(`/api/chats/${chat.id}/timeline`);
    assert.ok(!timeline.items.some((i) => i.text === 'I should not be able to send this'));

    // No longer an observer while she has it open: her chat socket is closed with 4403, the app
    // leaves the chat and drops it from her list, without a reload.
    await markPage(page);
    await page.keyboard.press('Escape');
    await observers.getByLabel('Olga', { exact: true }).uncheck();
    await expectCount(page.getByTestId('chat-view'), 0);
    await page.getByTestId('chat-placeholder').waitFor();
    await page.getByTestId('toast').waitFor();
    await expectCount(rowByName(page, client.name), 0);
    assert.match(new URL(page.url()).pathname, /^\/inbox\//);
    await assertNoReload(page);
  } finally {
    await olga.close();
    await boss.close();
  }
});

test('a client message `<img src=x onerror=alert(1)>` shows as text: no <img>, no dialog', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Html');
  const payload = '<img src=x onerror=alert(1)>';
  const { chat, manager } = await newChat(admin, client, payload);

  await withBrowser(async ({ page, dialogs, errors }) => {
    await login(page, manager);
    // In the list preview…
    const row = rowByName(page, client.name);
    await row.getByText(payload, { exact: true }).waitFor();
    // …and in the chat.
    await openChat(page, chat.id);
    const msg = messagesWithText(page, payload);
    await msg.waitFor();
    assert.equal(await msg.getByTestId('message-text').textContent(), payload);
    assert.ok(await msg.getByTestId('message-text').isVisible());
    assert.equal(await page.locator('img').count(), 0, 'an <img> element was created');
    assert.equal(await page.locator('[onerror]').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  });
});
