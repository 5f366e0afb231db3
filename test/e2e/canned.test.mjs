/**
 * Canned responses and keyboard shortcuts in a real browser: a response made in Settings, picked in a
 * chat with `/` + filter, ↓ and Enter, its variables filled in the composer and the filled text received
 * by the simulated client; the `?` overlay, and J opening the next chat (but not while typing).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  apiSession, expectCount, login, logins, newClient, newEmployeeChat, openBrowser, openChat, TEST_TIMEOUT, usersByEmail,
  waitBotSent, waitUntil, withBrowser,
} from './support.mjs';

/** Fills and saves the Settings form for a new personal canned response. */
async function createCanned(page, { shortcut, title, text }) {
  const form = page.getByTestId('canned-form').last();
  await form.getByTestId('canned-shortcut').fill(shortcut);
  await form.getByTestId('canned-title').fill(title);
  await form.getByTestId('canned-text').fill(text);
  await form.getByTestId('canned-save').click();
  await page.getByTestId('canned-personal').locator(`[data-testid="canned-item"][data-shortcut="${shortcut}"]`).waitFor();
}

test('a canned response made in Settings is picked with / + filter, ↓ and Enter; the client receives it with the variables filled', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Beatriz');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Oi, vocês entregam no sábado?');
  const agentName = (await usersByEmail(admin))[logins[manager].email].name;
  const botName = (await admin.get(`/api/chats/${chat.id}`)).source.name;
  const tag = `e2e${randomBytes(3).toString('hex')}`;

  await withBrowser(async ({ page }) => {
    await login(page, manager);
    // Settings → Canned responses, from the user menu (employees have no other Settings).
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('canned-link').click();
    await page.getByTestId('settings-canned').waitFor();
    await createCanned(page, { shortcut: `${tag}a`, title: 'Horário', text: 'Abrimos às 9h.' });
    await createCanned(page, { shortcut: `${tag}b`, title: 'Entrega', text: 'Olá {{contact.first_name}}! Sou {{agent.name}}, da {{bot.name}}: entregamos no sábado ({{ contact.name }}).' });
    // An unknown variable is refused when saving, naming it, and nothing is added.
    const form = page.getByTestId('canned-form').last();
    await form.getByTestId('canned-shortcut').fill(`${tag}c`);
    await form.getByTestId('canned-title').fill('Pedido');
    await form.getByTestId('canned-text').fill('Seu pedido {{order.id}} saiu');
    await form.getByTestId('canned-save').click();
    await form.getByText('{{order.id}}', { exact: false }).waitFor();
    await expectCount(page.locator(`[data-testid="canned-item"][data-shortcut="${tag}c"]`), 0);
    // The page's own search.
    await page.getByTestId('canned-search').fill(`entregamos ${tag}`);
    await expectCount(page.getByTestId('canned-personal').getByTestId('canned-item'), 1);
    await page.getByTestId('canned-personal').locator(`[data-shortcut="${tag}b"]`).waitFor();

    // In the chat: "/" + the filter opens the picker with both, ↓ moves to the second, Enter puts it in the composer.
    await openChat(page, chat.id);
    const composer = page.getByTestId('composer');
    await composer.click();
    await page.keyboard.type(`/${tag}`);
    await page.getByTestId('canned-picker').waitFor();
    await expectCount(page.getByTestId('canned-option'), 2);
    assert.equal(await page.getByTestId('canned-option').first().getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowDown');
    await waitUntil(async () => (await page.locator('[data-testid="canned-option"][aria-selected="true"]').getAttribute('data-shortcut')) === `${tag}b`);
    await page.keyboard.press('Enter');
    await expectCount(page.getByTestId('canned-picker'), 0);
    const filled = `Olá ${client.first_name}! Sou ${agentName}, da ${botName}: entregamos no sábado (${client.name}).`;
    await waitUntil(async () => (await composer.inputValue()) === filled, { message: `the composer holds "${filled}"` });

    // The next Enter sends the filled text, and the client receives it.
    await page.keyboard.press('Enter');
    await waitBotSent(client, filled);
    assert.equal(await composer.inputValue(), '');
    // Esc closes the picker and keeps what was typed.
    await composer.click();
    await page.keyboard.type(`/${tag}a`);
    await page.getByTestId('canned-picker').waitFor();
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('canned-picker'), 0);
    assert.equal(await composer.inputValue(), `/${tag}a`);
  });
});

test('? lists the shortcuts (in Portuguese too); J opens the next chat, but is a letter while typing', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  // Two chats of one manager, so there is a next one in My threads.
  const first = await newEmployeeChat(admin, newClient('Atalho'), 'Primeira conversa');
  let second = await newEmployeeChat(admin, newClient('Atalho'), 'Segunda conversa');
  for (let i = 0; second.manager !== first.manager && i < 6; i++) second = await newEmployeeChat(admin, newClient('Atalho'), 'Outra conversa');
  assert.equal(second.manager, first.manager, 'the queue gave two chats to one manager');

  const browser = await openBrowser({ locale: 'pt-BR' });
  try {
    const { page } = browser;
    await login(page, first.manager);
    await openChat(page, first.chat.id);
    await page.getByTestId('chat-contact-name').click();

    await page.keyboard.press('?');
    const overlay = page.getByTestId('shortcuts-overlay');
    await overlay.waitFor();
    await overlay.getByText('Atalhos de teclado').waitFor();
    for (const id of ['nextChat', 'prevChat', 'closeChat', 'assignMe', 'searchHistory', 'canned', 'help']) {
      await overlay.locator(`[data-testid="shortcut"][data-shortcut-id="${id}"]`).waitFor();
    }
    await page.keyboard.press('Escape');
    await expectCount(overlay, 0);

    // J while typing in the composer is just a letter.
    const composer = page.getByTestId('composer');
    await composer.click();
    await page.keyboard.type('j');
    assert.equal(await composer.inputValue(), 'j');
    assert.equal(new URL(page.url()).pathname, `/chats/${first.chat.id}`);
    // Esc leaves the composer; J then opens the chat below in the list (K the one above when it is the last).
    await page.keyboard.press('Escape');
    const ids = await page.getByTestId('chat-list-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-chat-id')));
    const at = ids.indexOf(first.chat.id);
    assert.ok(at >= 0 && ids.length > 1, 'the chat is listed with another one');
    const [key, expected] = at + 1 < ids.length ? ['j', ids[at + 1]] : ['k', ids[at - 1]];
    await page.keyboard.press(key);
    await waitUntil(() => new URL(page.url()).pathname === `/chats/${expected}`, { message: `${key} opens ${expected}` });
    await page.locator(`[data-testid="chat-view"][data-chat-id="${expected}"]`).waitFor();
  } finally {
    await browser.close();
  }
});
