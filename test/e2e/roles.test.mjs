/**
 * Logging in as each role: what the shell offers (settings for administrators only; observers start
 * in Others' threads and cannot write), a wrong password, logout, and the language switch.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  gotoOnceMore, apiSession, assertNoReload, BASE_URL, expectAttr, expectCount, login, logins, markPage, openBrowser, TEST_TIMEOUT, usersByEmail,
  withBrowser,
} from './support.mjs';

/** Opens the user menu and returns its text. */
async function menuText(page) {
  await page.getByTestId('user-menu-button').click();
  const menu = page.getByTestId('user-menu');
  await menu.waitFor();
  return menu.innerText();
}

test('login as administrator: the inbox and the Settings section with users, integrations and funnels', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    await page.getByTestId('group-tab-mine').waitFor();
    const text = await menuText(page);
    assert.match(text, /Admin/);
    assert.match(text, /admin@demo\.ponte/);
    assert.match(text, /Administrator/);

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('settings-tab-users').click();
    const rows = page.getByTestId('settings-users').getByTestId('user-row');
    for (const who of Object.values(logins)) await rows.filter({ hasText: who.email }).waitFor();
    await page.getByTestId('settings-tab-integrations').click();
    await expectCount(page.getByTestId('integration'), 2);
    await page.getByTestId('queue-editor').first().waitFor();
    await page.getByTestId('settings-tab-funnels').click();
    // The demo's two funnels (the list loads after the section shows).
    await page.getByTestId('funnel').filter({ hasText: 'Vendas Loja' }).waitFor();
    await page.getByTestId('funnel').filter({ hasText: 'Viber Leads' }).waitFor();
  });
});

test('login as employee: the inbox with the composer, no Settings; logout returns to the login screen', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page }) => {
    await login(page, 'ana');
    await expectAttr(page.getByTestId('group-tab-mine'), 'aria-selected', 'true');
    assert.equal(await page.getByTestId('nav-settings').count(), 0);
    const text = await menuText(page);
    assert.match(text, /ana@demo\.ponte/);
    assert.match(text, /Employee/);

    // Settings by URL: refused in the UI (and the API would answer 403).
    await gotoOnceMore(page, `${BASE_URL}/settings/users`);
    await page.getByText('Only administrators can open settings.').waitFor();
    assert.equal(await page.getByTestId('settings-page').count(), 0);
    const body = JSON.stringify({ email: 'intruder@demo.ponte', name: 'Intruder', role: 'admin', password: 'intruder-pass' });
    assert.equal(await page.evaluate((b) => fetch('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: b }).then((r) => r.status), body), 403);

    // A chat of hers opens with the composer.
    await gotoOnceMore(page, `${BASE_URL}/inbox/mine`);
    await page.getByTestId('chat-list-item').first().click();
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('qa-close').waitFor();

    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    // The session is gone: the inbox sends back to login.
    await gotoOnceMore(page, `${BASE_URL}/inbox/mine`);
    await page.getByTestId('login-form').waitFor();
    assert.match(new URL(page.url()).pathname, /^\/login/);
  });
});

test('login as observer: starts in Others\' threads with only observed chats, read-only, no Settings', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page }) => {
    await login(page, 'olga');
    await expectAttr(page.getByTestId('group-tab-others'), 'aria-selected', 'true');
    assert.equal(await page.getByTestId('nav-settings').count(), 0);
    assert.match(await menuText(page), /Observer/);
    await page.keyboard.press('Escape');
    // Every chat she is shown is one she observes (the demo seed gives her at least one).
    const admin = await apiSession('admin');
    const olgaId = (await usersByEmail(admin))[logins.olga.email].id;
    await page.getByTestId('chat-list-item').first().waitFor();
    const ids = await page.getByTestId('chat-list-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-chat-id')));
    for (const id of ids) assert.ok((await admin.get(`/api/chats/${id}`)).observerIds.includes(olgaId), `chat ${id} is listed but not observed`);
    // It opens read-only.
    await page.getByTestId('chat-list-item').first().click();
    await page.getByTestId('read-only-note').waitFor();
    assert.equal(await page.getByTestId('composer').count(), 0);
  });
});

test('a wrong password shows an error and stays on the login screen; the language switch translates it', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page }) => {
    await gotoOnceMore(page, `${BASE_URL}/login`);
    await page.getByTestId('login-email').fill(logins.ana.email);
    await page.getByTestId('login-password').fill('not-her-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.equal(await page.getByTestId('login-error').innerText(), 'Wrong email or password.');
    assert.match(new URL(page.url()).pathname, /^\/login/);

    await page.getByRole('button', { name: 'Português (Brasil)' }).click();
    await page.getByRole('button', { name: /^Entrar$/ }).waitFor();
  });
});

test('a session ended by the server (the user is deactivated) sends the open app to the login screen at once', { timeout: TEST_TIMEOUT }, async () => {
  const tag = randomBytes(3).toString('hex');
  const temp = { name: `Temp ${tag}`, email: `temp-${tag}@demo.ponte`, password: `temp-pass-${tag}` };
  const adminB = await openBrowser();
  const tempB = await openBrowser();
  try {
    // The administrator creates an employee in Settings (Employee is the form's default role).
    const { page: admin } = adminB;
    await login(admin, 'admin');
    await gotoOnceMore(admin, `${BASE_URL}/settings/users`);
    const form = admin.getByTestId('user-form');
    assert.equal(await form.locator('select[name="role"]').inputValue(), 'employee');
    await form.locator('input[name="name"]').fill(temp.name);
    await form.locator('input[name="email"]').fill(temp.email);
    await form.locator('input[name="password"]').fill(temp.password);
    await admin.getByTestId('user-create').click();
    const row = admin.getByTestId('user-row').filter({ hasText: temp.email });
    await row.waitFor();
    assert.equal(await row.getByTestId('user-role').inputValue(), 'employee');

    // The new employee works in the inbox…
    const { page } = tempB;
    await login(page, temp);
    await page.getByTestId('group-tab-mine').waitFor();
    await markPage(page);

    // …until the administrator deactivates her: her live socket is closed with 4401 and the app
    // shows the login screen by itself (no reload, no click).
    // Deactivating asks the admin to confirm (the person's open chats go back to the queue).
    // (The harness dismisses every JS dialog, so the admin's "yes" is given here.)
    await admin.evaluate(() => { window.confirm = () => true; });
    await row.getByTestId('user-active').uncheck();
    await page.getByTestId('login-form').waitFor();
    assert.match(new URL(page.url()).pathname, /^\/login/);
    await assertNoReload(page);
    assert.equal(await page.evaluate(() => fetch('/api/me').then((r) => r.status)), 401);
  } finally {
    await adminB.close();
    await tempB.close();
  }
});
