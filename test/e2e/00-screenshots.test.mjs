/**
 * The README screenshots (docs/screenshots/*.png, 1280×800): the inbox with a live conversation,
 * a chat with the side panel, and the settings. Files are written only when missing or with
 * UPDATE_SCREENSHOTS=1; the screens are driven and checked on every run either way.
 *
 * The file name sorts first, so it runs right after the demo seed, before other tests add chats.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiSession, chatByContact, clientWrites, expectCount, login, managerKey, messagesWithText, newClient, openChat, openGroup,
  readmeScreenshot, rowByName, screenshotsWanted, TEST_TIMEOUT, waitBotSent, withBrowser,
} from './support.mjs';

// Realistic names only when the pictures are being made (on a fresh stack); unique names otherwise.
const realistic = screenshotsWanted(['inbox', 'chat', 'settings']);
const people = [
  { first: 'Emily', last: 'Clark', says: 'Hello, I was charged twice for order 5120.', reply: 'Sorry about that, Emily. I am checking with billing now.', then: 'Thanks, please let me know.' },
  { first: 'Sophie', last: 'Martin', says: 'Do you ship to France?', reply: 'We do, Sophie: 3 to 5 working days to Paris.', then: 'Great, thank you!' },
  { first: 'Lucas', last: 'Ferreira', says: 'Vocês fazem montagem dos móveis?', reply: 'Fazemos sim, Lucas! A montagem custa R$ 80.', then: 'Ótimo, quero agendar para sábado.' },
  { first: 'Hannah', last: 'Schmidt', says: 'Hello! Are the lamps compatible with EU sockets?', reply: 'Yes, Hannah, all our lamps ship with EU plugs.', then: 'Perfect, ordering now.' },
];

test('README screenshots: inbox with a live conversation, a chat with the side panel, settings', { timeout: TEST_TIMEOUT }, async () => {
  const admin = await apiSession('admin');
  const clients = people.map((p) => ({ ...p, client: realistic ? newClient(p.first, p.last) : newClient(p.first) }));

  await withBrowser(async ({ page }) => {
    await login(page, 'ana');
    await openGroup(page, 'mine');

    // New clients write; the queue shares them between Ana and Bruno; Ana's arrive in her list live.
    for (const c of clients) {
      await clientWrites(c.client, c.says);
      c.chat = await chatByContact(admin, c.client.name);
      c.manager = await managerKey(admin, c.chat.responsibleId);
    }
    const hers = clients.filter((c) => c.manager === 'ana');
    assert.ok(hers.length > 0, `the queue gave Ana none of ${clients.length} new chats`);
    for (const c of hers) await rowByName(page, c.client.name).getByTestId('unread-badge').waitFor();

    // She answers the first one; the client writes back.
    const c = hers[0];
    await rowByName(page, c.client.name).click();
    await messagesWithText(page, c.says).waitFor();
    await page.getByTestId('composer').fill(c.reply);
    await page.getByTestId('composer').press('Enter');
    await waitBotSent(c.client, c.reply);
    await clientWrites(c.client, c.then);
    await messagesWithText(page, c.then).waitFor();
    await expectCount(rowByName(page, c.client.name).getByTestId('unread-badge'), 0);
    if (await page.getByTestId('side-panel').count()) await page.getByTestId('side-panel-close').click();
    await expectCount(page.getByTestId('side-panel'), 0);
    await readmeScreenshot(page, 'inbox');

    // A seeded conversation with the info panel: opportunity, contact, details, links, comments.
    const maria = await chatByContact(admin, 'Maria Oliveira');
    await openChat(page, maria.id);
    await page.getByTestId('qa-info').click();
    const panel = page.getByTestId('side-panel');
    await panel.waitFor();
    for (const id of ['panel-opportunities', 'panel-contact', 'panel-details']) await panel.getByTestId(id).waitFor();
    await panel.getByTestId('opportunity').first().waitFor();
    await readmeScreenshot(page, 'chat');
  });

  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-integrations').click();
    await expectCount(page.getByTestId('integration'), 2);
    await page.getByTestId('queue-item').first().waitFor();
    await page.getByTestId('integration-form').waitFor();
    // Frame the Viber bot (greeting, auto-reply, funnel, manager queue) and the "connect a bot" form
    // below it. (The Telegram bot's greeting starts with an emoji, which this Chromium has no font for.)
    await page.getByTestId('integration').nth(1).evaluate((el) => {
      const scroller = el.closest('.page');
      scroller.scrollTop += el.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
    });
    await readmeScreenshot(page, 'settings');
  });
});
