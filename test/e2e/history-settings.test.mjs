/**
 * Settings → History in a real browser: an administrator sets how many months after closing a chat's
 * messages move to archive storage (R2), sees it kept after a reload, goes back to the server default,
 * and a value out of range is refused before anything is sent. (Opening an archived chat is covered in the Worker tests
 * through the same routes: test/integration/cold-history-routes.test.ts; this stack cannot age a chat.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, BASE_URL, gotoOnceMore, login, TEST_TIMEOUT, waitUntil, withBrowser } from './support.mjs';

async function serverSetting() {
  const admin = await apiSession('admin');
  const res = await fetch(`${BASE_URL}/api/settings/history`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  return res.json();
}

test('an administrator sets the history retention, keeps it across a reload, and goes back to the default', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await gotoOnceMore(page, `${BASE_URL}/settings/history`);
    const months = page.getByTestId('history-months');
    await months.waitFor();
    assert.equal(await months.inputValue(), '12');

    await months.fill('121');
    await page.getByTestId('history-save').click();
    // The field's own range refuses it before anything is sent.
    assert.equal(await months.evaluate((el) => el.validity.valid), false);
    assert.equal((await serverSetting()).archiveAfterMonths, 12);

    await months.fill('6');
    await page.getByTestId('history-save').click();
    await waitUntil(async () => (await serverSetting()).archiveAfterMonths === 6, { message: 'saved on the server' });
    await page.reload();
    await page.getByTestId('history-months').waitFor();
    assert.equal(await page.getByTestId('history-months').inputValue(), '6');
    assert.match(await page.getByTestId('history-moved').innerText(), /Moved so far: \d+ messages of \d+ chats/);

    await page.getByTestId('history-use-default').click();
    await waitUntil(async () => (await serverSetting()).source === 'default', { message: 'back to the default' });
    await waitUntil(async () => (await page.getByTestId('history-months').inputValue()) === '12', { message: 'the field shows the default' });
  });
});
