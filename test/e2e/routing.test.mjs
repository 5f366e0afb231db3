/**
 * Routing in the browser (issue 15): two managers race to Take an unassigned chat and exactly one
 * gets it, the other is told who did.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiSession, BASE_URL, chatByContact, clientWrites, expectCount, login, newClient, openGroup, rowByName, TEST_TIMEOUT, waitUntil,
  withBrowser,
} from './support.mjs';

async function setStatus(who, status) {
  const { cookie } = await apiSession(who);
  const res = await fetch(`${BASE_URL}/api/me/status`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
  assert.equal(res.status, 200, `status of ${who}`);
}

test('two managers race to Take an unassigned chat: one gets it, the other is told who took it', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await apiSession('admin');
  try {
    await setStatus('ana', 'away');
    await setStatus('bruno', 'away');
    const client = newClient('Race');
    await clientWrites(client, 'Hello?');
    const chat = await chatByContact(admin, client.name);
    assert.equal(chat.responsibleId, null);
    await withBrowser(async (a) => {
      await withBrowser(async (b) => {
        await login(a.page, 'ana');
        await login(b.page, 'bruno');
        for (const p of [a.page, b.page]) {
          await openGroup(p, 'unassigned');
          await expectCount(rowByName(p, client.name), 1);
        }
        const button = (p) => p.getByTestId('chat-list').locator('li', { has: rowByName(p, client.name) }).getByTestId('take-chat').elementHandle();
        const buttons = await Promise.all([button(a.page), button(b.page)]);
        // Both press at once: the first live frame would otherwise move the row before the second click.
        await Promise.all(buttons.map((h) => h.evaluate((el) => el.click())));
        const toasts = async (p) => (await p.getByTestId('toast').allInnerTexts()).join(' | ');
        await waitUntil(async () => /took this chat first/.test((await toasts(a.page)) + (await toasts(b.page))), { message: 'the loser is told' });
        const after = await chatByContact(admin, client.name);
        assert.ok(after.responsibleId, 'someone has it');
        const winner = (await admin.get('/api/users')).find((u) => u.id === after.responsibleId);
        const loserToasts = winner.email.startsWith('ana') ? await toasts(b.page) : await toasts(a.page);
        assert.match(loserToasts, new RegExp(`${winner.name} took this chat first`));
      });
    });
  } finally {
    await setStatus('ana', 'available');
    await setStatus('bruno', 'available');
  }
});
