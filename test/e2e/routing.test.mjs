/**
 * Routing in the browser (issue 15): a manager who sets "away" in the user menu is skipped by the
 * queue; back to "available", the chats that waited unassigned arrive in their list live; a client
 * left without a reply moves to the next manager and the old one is told; two managers racing to Take
 * one unassigned chat: exactly one gets it, the other is told who did.
 *
 * The e2e stack runs with ROUTING_MINUTE_MS (tools/e2e/run.mjs): one minute of `reassignAfterMinutes` lasts
 * that long, so the no-reply test sets the real 1-minute setting and waits seconds, not a minute.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, assertNoReload, BASE_URL, chatByContact, clientWrites, cutLive, expectCount, login, logins, managerKey, markPage,
  newClient, openBrowser, openGroup, restoreLive, rowByName, TEST_TIMEOUT, usersByEmail, waitUntil, WAIT, withBrowser,
} from './support.mjs';

/** The admin's API session, with writes (setup and clean-up only; the actions under test go through the UI). */
async function adminApi() {
  const admin = await apiSession('admin');
  const send = async (method, p, body) => {
    const res = await fetch(BASE_URL + p, { method, headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(res.ok, `${method} ${p} → ${res.status} ${await res.text()}`);
  };
  const ids = Object.fromEntries(Object.entries(await usersByEmail(admin)).map(([email, u]) => [email, u.id]));
  const idOf = (who) => ids[logins[who].email];
  return {
    ...admin,
    idOf,
    setStatus: (who, status) => send('PUT', `/api/users/${idOf(who)}/status`, { status }),
    statusOf: async (who) => (await admin.get('/api/users')).find((u) => u.id === idOf(who)).status,
    patchIntegration: (id, patch) => send('PATCH', `/api/integrations/${id}`, patch),
    demoTelegram: async () => (await admin.get('/api/integrations')).find((i) => i.channel === 'telegram' && i.name === 'Ponte Demo Bot'),
  };
}

/** Picks a status from the user menu, as a person does. */
async function chooseStatus(page, status) {
  await page.getByTestId('user-menu-button').click();
  await page.getByTestId(`status-${status}`).check();
  await page.getByTestId('user-menu-button').click();
}

/** The Take button on a chat's Unassigned row (a sibling of the row's link). */
const takeButton = (page, name) => page.getByTestId('chat-list').locator('li', { has: rowByName(page, name) }).getByTestId('take-chat');

const toastTexts = async (page) => (await page.getByTestId('toast').allInnerTexts()).join(' | ');

test('away from the user menu: new chats skip the manager; back to available, the waiting chats arrive in their list live', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await adminApi();
  try {
    await admin.setStatus('ana', 'available');
    await admin.setStatus('bruno', 'available');
    await withBrowser(async ({ page }) => {
      await login(page, 'ana');
      await openGroup(page, 'mine');
      await markPage(page);

      await chooseStatus(page, 'away');
      await waitUntil(async () => (await admin.statusOf('ana')) === 'away', { message: 'ana away on the server' });
      // Two new clients in a row: with Ana available the rotation would give her one of them.
      for (const client of [newClient('Skip'), newClient('Skip')]) {
        await clientWrites(client, 'Anyone there?');
        const chat = await chatByContact(admin, client.name);
        assert.equal(await managerKey(admin, chat.responsibleId), 'bruno', `${client.name} went to Bruno, not to Ana (away)`);
        await expectCount(rowByName(page, client.name), 0);
      }

      // Nobody available: the next clients wait unassigned.
      await admin.setStatus('bruno', 'away');
      const waiting = [newClient('Backlog'), newClient('Backlog')];
      for (const client of waiting) {
        await clientWrites(client, 'Hello? Still waiting');
        assert.equal((await chatByContact(admin, client.name)).responsibleId, null, `${client.name} waits unassigned`);
      }

      // Ana comes back: the queue places the waiting chats with her, and they appear in My threads live.
      await chooseStatus(page, 'available');
      await waitUntil(async () => (await admin.statusOf('ana')) === 'available', { message: 'ana available on the server' });
      await waitUntil(async () => {
        for (const client of waiting) if ((await chatByContact(admin, client.name)).responsibleId !== admin.idOf('ana')) return false;
        return true;
      }, { message: 'the queue to give Ana the waiting chats' });
      // (This failed while choosing a status restarted the inbox feed: the frames of these very chats were lost.)
      for (const client of waiting) await rowByName(page, client.name).waitFor();
      await assertNoReload(page);
      for (const client of waiting) assert.equal(await managerKey(admin, (await chatByContact(admin, client.name)).responsibleId), 'ana');
    });
  } finally {
    await admin.setStatus('ana', 'available');
    await admin.setStatus('bruno', 'available');
  }
});

test('no reply within the bot\'s time: the chat moves to the other manager live, and the old one is told', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await adminApi();
  const bot = await admin.demoTelegram();
  const browsers = {};
  try {
    // The admin turns the timer on in Settings → Integrations (1 minute; the e2e stack's minute is short).
    await withBrowser(async ({ page }) => {
      await login(page, 'admin');
      await gotoOnceMore(page, `${BASE_URL}/settings/integrations`);
      const editor = page.locator(`[data-testid="integration"][data-integration-id="${bot.id}"]`).getByTestId('routing-editor');
      await editor.getByTestId('routing-reassign').fill('1');
      await editor.getByTestId('routing-save').click();
      await waitUntil(async () => (await admin.demoTelegram()).reassignAfterMinutes === 1, { message: 'the timer saved' });
    });
    for (const who of ['ana', 'bruno']) {
      browsers[who] = await openBrowser();
      await login(browsers[who].page, who);
      await openGroup(browsers[who].page, 'mine');
      await markPage(browsers[who].page);
    }

    const client = newClient('NoReply');
    await clientWrites(client, 'Is anybody there?');
    const chat = await chatByContact(admin, client.name);
    const first = await managerKey(admin, chat.responsibleId);
    assert.ok(first === 'ana' || first === 'bruno', `the queue gave the chat to ${first}`);
    const next = first === 'ana' ? 'bruno' : 'ana';
    const [oldPage, newPage] = [browsers[first].page, browsers[next].page];
    await rowByName(oldPage, client.name).waitFor();

    // Nobody answers. The chat arrives in the other manager's list, and leaves the first one's.
    await rowByName(newPage, client.name).waitFor({ timeout: WAIT * 3 });
    await expectCount(rowByName(oldPage, client.name), 0);
    // The first manager is told by the server (their inbox frame says the chat was taken for no reply).
    await waitUntil(async () => (await toastTexts(oldPage)).includes(`Your chat with ${client.name} went to ${logins[next].name} (no reply in time)`), { message: 'the old manager is told' });
    for (const p of [oldPage, newPage]) await assertNoReload(p);

    const moved = await chatByContact(admin, client.name);
    assert.equal(await managerKey(admin, moved.responsibleId), next);
    const timeline = await admin.get(`/api/chats/${chat.id}/timeline?limit=50`);
    const events = timeline.items.filter((i) => i.kind === 'event' && i.type === 'reassigned');
    assert.equal(events.length, 1, 'one reassignment for the one client message');
    assert.deepEqual([events[0].data.reason, events[0].data.previousId, events[0].data.responsibleId], ['no_reply', admin.idOf(first), admin.idOf(next)]);
  } finally {
    for (const b of Object.values(browsers)) await b.close();
    await admin.patchIntegration(bot.id, { reassignAfterMinutes: null });
  }
});

test('two managers race to Take one unassigned chat: exactly one gets it, the other is told who took it', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await adminApi();
  try {
    await admin.setStatus('ana', 'away');
    await admin.setStatus('bruno', 'away');
    const client = newClient('Race');
    await clientWrites(client, 'Who can help me?');
    const chat = await chatByContact(admin, client.name);
    assert.equal(chat.responsibleId, null);
    await withBrowser(async (a) => {
      await withBrowser(async (b) => {
        const pages = { ana: a.page, bruno: b.page };
        for (const [who, page] of Object.entries(pages)) {
          await login(page, who);
          await openGroup(page, 'unassigned');
          await takeButton(page, client.name).waitFor();
        }
        // Both pages hold the row when they press: the live frame of the first Take must not remove the
        // row from the other page before its click lands (then there would be no race, only a late page).
        for (const page of Object.values(pages)) assert.ok((await cutLive(page)) > 0, 'the inbox socket was open');
        await Promise.all(Object.values(pages).map((page) => takeButton(page, client.name).click()));

        const said = {};
        await waitUntil(async () => {
          for (const [who, page] of Object.entries(pages)) said[who] = await toastTexts(page);
          return Object.values(said).every((text) => /The chat is yours|took this chat first/.test(text));
        }, { message: 'both managers hear how their Take went' });
        const winners = Object.keys(pages).filter((who) => said[who].includes('The chat is yours'));
        assert.equal(winners.length, 1, `exactly one winner: ${JSON.stringify(said)}`);
        const [winner] = winners;
        const loser = winner === 'ana' ? 'bruno' : 'ana';
        assert.match(said[loser], new RegExp(`${logins[winner].name} took this chat first`));
        assert.doesNotMatch(said[winner], /took this chat first/);

        const after = await chatByContact(admin, client.name);
        assert.equal(await managerKey(admin, after.responsibleId), winner);
        const timeline = await admin.get(`/api/chats/${chat.id}/timeline?limit=50`);
        assert.equal(timeline.items.filter((i) => i.kind === 'event' && i.type === 'assigned' && i.data.taken).length, 1, 'one Take recorded');

        // Live again: the row has left Unassigned on both pages, and it is in the winner's My threads.
        for (const page of Object.values(pages)) await restoreLive(page);
        for (const page of Object.values(pages)) await expectCount(rowByName(page, client.name), 0);
        await openGroup(pages[winner], 'mine');
        await rowByName(pages[winner], client.name).waitFor();
      });
    });
  } finally {
    await admin.setStatus('ana', 'available');
    await admin.setStatus('bruno', 'available');
  }
});
