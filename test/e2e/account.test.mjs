/**
 * The account page (password change, sessions), the login throttle message, and the UI under the
 * Content-Security-Policy the Worker now sends (no violation while the inbox, a chat's live socket,
 * settings and the account page run).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { apiSession, BASE_URL, gotoOnceMore, expectCount, login, TEST_TIMEOUT, waitUntil, withBrowser } from './support.mjs';

/** A fresh employee made by the demo admin, so this file's password changes touch no one else. */
async function freshUser() {
  const admin = await apiSession('admin');
  const tag = randomBytes(3).toString('hex');
  const user = { email: `account-${tag}@demo.ponte`, password: `pass-${tag}-1`, name: `Account ${tag}` };
  const res = await fetch(`${BASE_URL}/api/users`, {
    method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ ...user, role: 'employee' }),
  });
  assert.equal(res.status, 201);
  return user;
}

/** Collects CSP violations the page reports (Chromium logs each as a console error). */
function watchCsp(page) {
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test('the UI runs under the CSP: inbox with its live socket, settings and the account page, no violations', { timeout: TEST_TIMEOUT }, async () => {
  await withBrowser(async ({ page, errors }) => {
    const violations = watchCsp(page);
    const doc = await gotoOnceMore(page, `${BASE_URL}/login`);
    const csp = doc.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(doc.headers()['x-content-type-options'], 'nosniff');
    await login(page, 'admin');
    // The inbox feed's WebSocket is up (connect-src 'self' covers same-origin ws:).
    await waitUntil(() => page.evaluate(() => [...window.__e2eSockets].some((s) => s.readyState === 1)), { message: 'live socket open' });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('account-link').click();
    await page.getByTestId('account-page').waitFor();
    await page.getByTestId('session-row').first().waitFor();
    assert.deepEqual(violations, []);
    assert.deepEqual(errors.map(String), []);
  });
});

test('account page: sessions list, ending another session, changing the password', { timeout: TEST_TIMEOUT }, async () => {
  const user = await freshUser();
  const other = await apiSession(user);
  await withBrowser(async ({ page }) => {
    await login(page, user);
    await gotoOnceMore(page, `${BASE_URL}/account`);
    await page.getByTestId('account-page').waitFor();
    const rows = page.getByTestId('session-row');
    await expectCount(rows, 2);
    await page.locator('[data-testid="session-row"][data-current="true"]').waitFor();
    await page.getByTestId('session-revoke').click();
    await expectCount(rows, 1);
    assert.equal((await fetch(`${BASE_URL}/api/me`, { headers: { cookie: other.cookie } })).status, 401);

    await page.getByTestId('password-old').fill('not-the-password');
    await page.getByTestId('password-new').fill('a-brand-new-password');
    await page.getByTestId('password-confirm').fill('a-brand-new-password');
    await page.getByTestId('password-save').click();
    await page.getByTestId('password-form').getByText('The current password is wrong.').waitFor();

    await page.getByTestId('password-old').fill(user.password);
    await page.getByTestId('password-save').click();
    await page.getByText('Password changed').waitFor();
    await apiSession({ ...user, password: 'a-brand-new-password' });
  });
});

test('login page: repeated wrong passwords lock the account and say how long to wait', { timeout: TEST_TIMEOUT }, async () => {
  const user = await freshUser();
  await withBrowser(async ({ page }) => {
    await gotoOnceMore(page, `${BASE_URL}/login`);
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill('wrong-password');
    const statuses = [];
    // Five wrong passwords are answered 401; after that the account is locked (429 + Retry-After).
    while (!statuses.includes(429) && statuses.length < 12) {
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
        page.getByTestId('login-submit').click(),
      ]);
      statuses.push(res.status());
      await waitUntil(() => page.getByTestId('login-submit').isEnabled(), { message: 'form ready again' });
    }
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.ok(statuses.includes(429), `statuses ${statuses}`);
    await page.getByTestId('login-error').getByText(/Too many attempts, try again in \d+ s\./).waitFor();
  });
});
