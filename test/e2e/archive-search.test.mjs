/**
 * Finding conversations again: the archive's filters, and the search inside one chat's history
 * (highlights, jumps to a message that is not loaded yet).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, clientWrites, expectCount, login, logins, messagesWithText, newChat, newClient, openChat, rowByName,
  TEST_TIMEOUT, usersByEmail, waitUntil, withBrowser,
} from './support.mjs';

/** Fills the archive form and applies it; `values` maps filter testids to values ('' clears). */
async function applyFilters(page, values) {
  await page.getByTestId('filter-reset').click();
  for (const [id, v] of Object.entries(values)) {
    const el = page.getByTestId(id);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(v);
    else await el.fill(v);
  }
  await page.getByTestId('filter-apply').click();
}

/** Waits until the archive list has loaded and shows exactly `names` (in any order). */
async function expectResults(page, names) {
  await waitUntil(async () => {
    if (await page.getByTestId('loading').count()) return false;
    // An empty result must be the list's "nothing found" state, not a list between two loads.
    if (names.length === 0) return (await page.getByTestId('chat-list').locator('.state-empty').count()) === 1;
    const shown = await page.getByTestId('chat-list-item-name').allTextContents();
    return shown.length === names.length && names.every((n) => shown.includes(n));
  }, { message: `archive results ${JSON.stringify(names)}` });
}

test('archive: the filters find the chat (text, status, responsible, bot, channel) and the URL keeps them', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Archive');
  const ref = `ref${randomBytes(3).toString('hex')}`;
  const { chat, manager } = await newChat(admin, client, `Do you ship to Porto? Order ${ref}`);
  const users = await usersByEmail(admin);
  const managerId = chat.responsibleId;
  const otherId = users[logins[manager === 'ana' ? 'bruno' : 'ana'].email].id;

  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await page.getByTestId('archive-button').click();
    await page.getByTestId('archive-page').waitFor();

    // Free text over the contact name, then over the message text (any case).
    await applyFilters(page, { 'filter-q': client.last_name });
    await expectResults(page, [client.name]);
    assert.match(page.url(), new RegExp(`[?&]q=${client.last_name}`));
    await applyFilters(page, { 'filter-q': `PORTO order ${ref}` });
    await expectResults(page, [client.name]);

    // Status: open now, so "closed" does not list it.
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-status': 'closed' });
    await expectResults(page, []);
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-status': 'open' });
    await expectResults(page, [client.name]);

    // Responsible, bot and channel.
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-responsible': managerId });
    await expectResults(page, [client.name]);
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-responsible': otherId });
    await expectResults(page, []);
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-integration': chat.integration.id, 'filter-channel': 'telegram' });
    await expectResults(page, [client.name]);
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-channel': 'viber' });
    await expectResults(page, []);

    // Close it from the archive's result, come back: the "closed" filter now finds it.
    await applyFilters(page, { 'filter-q': client.last_name, 'filter-status': 'closed' });
    await expectResults(page, []);
    const archiveUrl = page.url();
    await applyFilters(page, { 'filter-q': client.last_name });
    await rowByName(page, client.name).click();
    await page.locator(`[data-testid="chat-view"][data-chat-id="${chat.id}"]`).waitFor();
    await page.getByTestId('qa-close').click();
    await page.getByTestId('chat-closed-badge').waitFor();
    await gotoOnceMore(page, archiveUrl);
    await expectValue(page.getByTestId('filter-status'), 'closed');
    await expectResults(page, [client.name]);
  });
});

/** Waits until the form control shows `value` (the filters are restored from the URL). */
async function expectValue(locator, value) {
  await waitUntil(async () => (await locator.inputValue()) === value, { message: `value ${value}` });
}

test('search in history: results highlight the words, and a click jumps to an old message and flashes it', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Search');
  const word = `orcamento${randomBytes(3).toString('hex')}`;
  const target = `Pode mandar o ${word} da mesa de jantar?`;
  const { chat, manager } = await newChat(admin, client, target);
  // Enough later messages that the target is beyond the first page of the timeline (40 items).
  for (let i = 1; i <= 45; i++) await clientWrites(client, `Mensagem ${i} de ${client.last_name}`);
  await waitUntil(async () => (await admin.get(`/api/chats/${chat.id}/timeline?limit=1`)).items[0]?.text === `Mensagem 45 de ${client.last_name}`, {
    message: 'the last message to be stored',
  });

  await withBrowser(async ({ page }) => {
    await login(page, manager);
    await openChat(page, chat.id);
    await messagesWithText(page, `Mensagem 45 de ${client.last_name}`).waitFor();
    await expectCount(messagesWithText(page, target), 0); // not loaded yet

    await page.getByTestId('qa-search').click();
    await page.getByTestId('history-search').waitFor();
    await page.getByTestId('search-input').fill(word);
    const hit = page.getByTestId('search-result');
    await expectCount(hit, 1);
    assert.equal((await hit.locator('mark').allTextContents()).join(''), word);
    await page.getByTestId('search-count').waitFor();

    await hit.click();
    const msg = messagesWithText(page, target);
    await msg.waitFor();
    assert.equal(await msg.getAttribute('data-item-id'), await hit.getAttribute('data-item-id'));
    // Flashed, highlighted, and scrolled into the timeline's visible area.
    await waitUntil(async () => (await msg.getAttribute('class'))?.split(/\s+/).includes('flash'), { message: 'the flash' });
    assert.equal(await msg.locator('mark').first().textContent(), word);
    await waitUntil(async () => {
      const [box, view] = await Promise.all([msg.boundingBox(), page.getByTestId('timeline').boundingBox()]);
      return box && view && box.y >= view.y && box.y + box.height <= view.y + view.height;
    }, { message: 'the message to be scrolled into view' });

    // Escape closes the search and the highlights go away.
    await page.getByTestId('search-input').press('Escape');
    await expectCount(page.getByTestId('history-search'), 0);
    await expectCount(page.getByTestId('timeline').locator('mark'), 0);
  });
});
