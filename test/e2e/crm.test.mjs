/**
 * The CRM pages: find a contact, merge two identities of one person and see both chats on the contact
 * page, drag a deal across the board's stages, complete a task.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { apiSession, BASE_URL, gotoOnceMore, expectCount, login, newChat, newClient, TEST_TIMEOUT, waitUntil, withBrowser } from './support.mjs';

/** Setup writes outside the browser (what is under test goes through the UI). */
async function send(api, method, path, body) {
  const res = await fetch(BASE_URL + path, { method, headers: { cookie: api.cookie, origin: BASE_URL, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
}

test('contacts: search finds the person, merging their two identities shows both chats on one page', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const surname = `Merge${randomBytes(3).toString('hex')}`;
  const one = newClient('Joana', surname);
  const two = newClient('Joana', `${surname}b`);
  const { chat: chatOne } = await newChat(admin, one, 'Oi, sou a Joana');
  const { chat: chatTwo } = await newChat(admin, two, 'Oi de novo, outro telefone');
  const phone = `+55 11 9${randomBytes(3).readUIntBE(0, 3) % 10_000_000}`;
  await send(admin, 'PATCH', `/api/contacts/${chatOne.contact.id}`, { phone });
  await send(admin, 'PATCH', `/api/contacts/${chatTwo.contact.id}`, { phone });

  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-page').waitFor();
    await page.getByTestId('contacts-search').fill(`joana ${surname.toLowerCase()}`);
    await expectCount(page.getByTestId('contact-row'), 2);
    await page.locator(`[data-testid="contact-row"][data-contact-id="${chatOne.contact.id}"] a`).click();
    await page.getByTestId('contact-page').waitFor();
    await expectCount(page.getByTestId('contact-chat'), 1);

    await page.getByTestId('merge-duplicate').click();
    await page.getByTestId('merge-confirm').click();
    await expectCount(page.getByTestId('contact-chat'), 2);
    await waitUntil(async () => (await page.getByTestId('contact-identities').textContent())?.includes('telegram'));

    // The merged-away contact's old link leads to the survivor.
    await gotoOnceMore(page, `${BASE_URL}/contacts/${chatTwo.contact.id}`);
    await waitUntil(() => page.url().endsWith(`/contacts/${chatOne.contact.id}`), { message: 'redirect to the survivor' });
    await expectCount(page.getByTestId('contact-chat'), 2);
  });
});

test('board: a new chat\'s deal appears, is dragged to the next stage and closed lost with a reason', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Board');
  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await page.getByTestId('nav-board').click();
    await page.getByTestId('board').waitFor();
    // Live: the chat opened after the board was shown puts its deal on it.
    await newChat(admin, client, 'Quero um orçamento');
    const card = page.getByTestId('board-card').filter({ hasText: client.name });
    await card.waitFor({ timeout: 15_000 });
    const columns = page.getByTestId('board-column');
    const cardIn = (i) => columns.nth(i).getByTestId('board-card').filter({ hasText: client.name });
    const first = await columns.nth(0).getAttribute('data-stage-id');
    const second = await columns.nth(1).getAttribute('data-stage-id');
    assert.equal(await cardIn(0).count(), 1, 'a new deal starts in the first stage');
    await card.dragTo(columns.nth(1));
    await cardIn(1).waitFor();
    // The move is stored, not only shown.
    await waitUntil(async () => (await admin.get('/api/opportunities?limit=50')).items.find((o) => o.title.startsWith(client.name))?.stageId === second, { message: 'the deal stored in the second stage' });
    // Keyboard: back to the first stage.
    await cardIn(1).focus();
    await page.keyboard.press('ArrowLeft');
    await cardIn(0).waitFor();
    await waitUntil(async () => (await admin.get('/api/opportunities?limit=50')).items.find((o) => o.title.startsWith(client.name))?.stageId === first, { message: 'the deal stored back in the first stage' });

    await cardIn(0).getByTestId('card-lost').click();
    await page.getByTestId('card-lost-reason').fill('Preço');
    await page.getByTestId('card-lost-reason').press('Enter');
    await expectCount(page.getByTestId('board-card').filter({ hasText: client.name }), 0);
  });
});

test('board: a column longer than its first page shows "Show more", which adds its next cards', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const funnel = (await admin.get('/api/funnels'))[0];
  const board = await admin.get(`/api/funnels/${funnel.id}/board`);
  // More deals than the first page (20) in the first stage, made through the API if the demo has fewer.
  const contact = (await admin.get('/api/contacts?limit=1')).items[0];
  for (let n = board.columns[0].count; n <= 20; n++) {
    await send(admin, 'POST', '/api/opportunities', { contactId: contact.id, funnelId: funnel.id, title: `Mais ${randomBytes(3).toString('hex')}` });
  }
  const total = Math.max(board.columns[0].count, 21);
  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await gotoOnceMore(page, `${BASE_URL}/board?funnel=${funnel.id}`);
    const column = page.getByTestId('board-column').nth(0);
    await expectCount(column.getByTestId('board-card'), 20);
    await column.getByTestId('board-more').click();
    await expectCount(column.getByTestId('board-card'), Math.min(total, 70));
    if (total <= 70) await expectCount(column.getByTestId('board-more'), 0);
    // Each deal once, none repeated from the first page.
    const ids = await column.getByTestId('board-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-card-id')));
    assert.equal(new Set(ids).size, ids.length);
  });
});

test('tasks: my task with a due date is listed and completed', { timeout: TEST_TIMEOUT }, async () => {
  const title = `Ligar ${randomBytes(3).toString('hex')}`;
  const ana = await apiSession('ana');
  const apiTasks = async () => (await ana.get('/api/tasks?mine=true&limit=100')).items;
  await withBrowser(async ({ page }) => {
    await login(page, 'ana');
    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('tasks-page').waitFor();
    const form = page.getByTestId('task-new');
    await form.locator('input[name="title"]').fill(title);
    await form.locator('select[name="assigneeId"]').selectOption({ label: 'Ana' });
    await form.locator('input[name="dueAt"]').fill('2020-01-01T09:00');
    await form.locator('button[type="submit"]').click();
    const row = page.getByTestId('task-row').filter({ hasText: title });
    await row.waitFor();
    await row.getByTestId('task-overdue').waitFor();
    await row.getByTestId('task-done').check();
    // Stored: after a reload the open-tasks list no longer has it.
    await waitUntil(async () => (await apiTasks()).find((x) => x.title === title)?.done === true, { message: 'the task stored as done' });
    await page.reload();
    await page.getByTestId('tasks-page').waitFor();
    await expectCount(page.getByTestId('task-row').filter({ hasText: title }), 0);
  });
});

test("tasks: a task's links show its chat, and the link opens it", { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const ana = await apiSession('ana');
  const { chat } = await newChat(admin, newClient('Tarefa'), 'Podem me ligar amanhã?');
  const me = await ana.get('/api/me');
  const title = `Retornar ${randomBytes(3).toString('hex')}`;
  await send(ana, 'POST', '/api/tasks', { title, assigneeId: me.id, chatId: chat.id });
  await withBrowser(async ({ page }) => {
    await login(page, 'ana');
    await page.getByTestId('nav-tasks').click();
    const row = page.getByTestId('task-row').filter({ hasText: title });
    await row.waitFor();
    await row.locator(`[data-testid="task-chat"][data-chat-id="${chat.id}"]`).click();
    await page.locator(`[data-testid="chat-view"][data-chat-id="${chat.id}"]`).waitFor();
  });
});
