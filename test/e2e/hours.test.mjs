/**
 * Business hours end to end: an administrator sets the demo Telegram bot closed right now in Settings
 * (no hours on any day), a simulated client writes and receives the out-of-office text instead of the
 * auto-reply — once for the burst — and the chat shows the event. The bot is set back to always open.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, AUTO_REPLY, BASE_URL, botTexts, chatByContact, clientWrites, login, messagesWithText, newClient, openChat, TEST_TIMEOUT,
  waitBotSent, waitUntil, withBrowser,
} from './support.mjs';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

test('closed now: a client gets the out-of-office reply once per burst, and the chat shows it', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const bot = (await admin.get('/api/integrations')).find((i) => i.channel === 'telegram' && i.enabled);
  assert.ok(bot, 'the demo has a Telegram bot');
  const outOfOffice = `Estamos fechados agora; respondemos no próximo dia útil. (${Date.now()})`;
  try {
    await withBrowser({}, async ({ page }) => {
      await login(page, 'admin');
      await gotoOnceMore(page, `${BASE_URL}/settings/integrations`);
      const editor = page.locator(`[data-testid="integration"][data-integration-id="${bot.id}"]`).getByTestId('hours-editor');
      await editor.getByTestId('hours-enabled').check();
      await editor.getByTestId('hours-timezone').fill('America/Sao_Paulo');
      // No ranges on any day: closed whatever the time of this run.
      for (const day of DAYS) await editor.getByTestId(`hours-day-${day}`).fill('');
      await editor.getByTestId('hours-holidays').fill('2026-12-25\n2027-01-01');
      await editor.getByTestId('hours-ooo').fill(outOfOffice);
      await editor.getByTestId('hours-save').click();
      await editor.getByText('Saved').waitFor();
      const saved = (await admin.get('/api/integrations')).find((i) => i.id === bot.id);
      assert.deepEqual(saved.businessHours, {
        timeZone: 'America/Sao_Paulo', holidays: ['2026-12-25', '2027-01-01'], outOfOfficeText: outOfOffice,
        weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, []])),
      });

      const client = newClient('Noite');
      await clientWrites(client, 'Olá, ainda estão aí?');
      await waitBotSent(client, outOfOffice);
      await clientWrites(client, 'Queria saber do meu pedido 4821');
      const chat = await chatByContact(admin, client.name);
      // Both client messages are stored when their webhooks answer; the burst got one reply, no auto-reply.
      const timeline = await admin.get(`/api/chats/${chat.id}/timeline`);
      const messages = timeline.items.filter((i) => i.kind === 'message');
      assert.equal(messages.filter((m) => m.origin === 'client').length, 2);
      assert.equal(messages.filter((m) => m.origin === 'out_of_office').length, 1);
      assert.equal(messages.filter((m) => m.origin === 'auto_reply').length, 0);
      assert.ok(!(await botTexts(client)).includes(AUTO_REPLY));

      // The manager's view: the reply, labelled, and the event line.
      await openChat(page, chat.id);
      const reply = messagesWithText(page, outOfOffice);
      await reply.waitFor();
      assert.equal(await reply.getAttribute('data-direction'), 'out');
      await reply.getByText('Out of office').waitFor();
      await page.locator('[data-testid="timeline-event"][data-event-type="out_of_office_sent"]').getByText('Out-of-office reply sent (outside business hours)').waitFor();

      // Back to always open, through the same form.
      await gotoOnceMore(page, `${BASE_URL}/settings/integrations`);
      await editor.getByTestId('hours-enabled').uncheck();
      await editor.getByTestId('hours-save').click();
      await editor.getByText('Saved').waitFor();
      await waitUntil(async () => (await admin.get('/api/integrations')).find((i) => i.id === bot.id).businessHours === null, { message: 'hours off' });
    });
  } finally {
    // Whatever happened above, later tests need the demo bot open.
    await fetch(`${BASE_URL}/api/integrations/${bot.id}`, {
      method: 'PATCH', headers: { cookie: admin.cookie, origin: BASE_URL, 'content-type': 'application/json' }, body: JSON.stringify({ businessHours: null }),
    });
  }
});
