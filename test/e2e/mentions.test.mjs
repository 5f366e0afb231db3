/**
 * Mentions: the chat's manager types `@` in a team comment, picks a colleague from the picker with the
 * keyboard and saves; the colleague, in another browser, sees the badge and the notice arrive live, opens
 * the chat from the mentions list, and reading it clears the badge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, BASE_URL, expectCount, login, logins, newClient, newEmployeeChat, openChat, TEST_TIMEOUT, usersByEmail, waitUntil, withBrowser } from './support.mjs';

test('mentions: A mentions B in a comment; B gets the badge live and the list opens the chat', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await apiSession('admin');
  const client = newClient('Mencao');
  const { chat, manager } = await newEmployeeChat(admin, client, 'Preciso de ajuda com o pedido');
  const colleague = manager === 'ana' ? 'bruno' : 'ana';
  const colleagueId = (await usersByEmail(admin))[logins[colleague].email].id;
  const text = `pode ver este cliente? ${client.last_name}`;

  await withBrowser(async (a) => {
    await withBrowser(async (b) => {
      await login(b.page, colleague);
      await b.page.getByTestId('mentions-button').waitFor();
      assert.equal(await b.page.getByTestId('mentions-count').count(), 0, 'no unread mentions before');

      await login(a.page, manager);
      await openChat(a.page, chat.id);
      if (!(await a.page.getByTestId('panel-comments').isVisible())) await a.page.getByTestId('qa-info').click();
      const input = a.page.getByTestId('comment-input');
      await input.click();
      // Keyboard: `@` and part of the name opens the picker filtered to the colleague; Enter picks.
      await input.pressSequentially(`@${logins[colleague].name.slice(0, 3)}`);
      await a.page.locator(`[data-testid="mention-option"][data-user-id="${colleagueId}"]`).waitFor();
      await expectCount(a.page.getByTestId('mention-option'), 1);
      await input.press('Enter');
      await waitUntil(async () => (await input.inputValue()).startsWith(`@${logins[colleague].name} `), { message: 'the picked name in the comment' });
      await input.pressSequentially(text);
      await a.page.getByTestId('comment-submit').click();
      await a.page.getByTestId('comment').filter({ hasText: text }).waitFor();

      // B: the badge and the notice arrive without a reload.
      await waitUntil(async () => (await b.page.getByTestId('mentions-count').textContent()) === '1', { message: "B's badge to show 1" });
      await b.page.getByTestId('mention-notice').waitFor();
      await b.page.getByTestId('mentions-button').click();
      const item = b.page.locator(`[data-testid="mention-item"][data-chat-id="${chat.id}"]`);
      await item.filter({ hasText: text }).waitFor();
      await item.click();
      await waitUntil(() => b.page.url() === `${BASE_URL}/chats/${chat.id}`, { message: 'the chat to open' });
      await b.page.locator(`[data-testid="chat-view"][data-chat-id="${chat.id}"]`).waitFor();
      // Reading the chat cleared the badge.
      await expectCount(b.page.getByTestId('mentions-count'), 0);
      const mine = await (await fetch(`${BASE_URL}/api/me/mentions`, { headers: { cookie: (await apiSession(colleague)).cookie } })).json();
      assert.equal(mine.unread, 0);
      assert.equal(mine.items[0].chatId, chat.id);
    });
  });
});
