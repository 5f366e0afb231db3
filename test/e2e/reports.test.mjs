/**
 * The Reports page over the seeded demo (its conversations spread over the past 30 days): headline
 * figures, a uPlot chart drawn from them, the per-manager table, a manager filter, the CSV of what is
 * shown; uPlot is fetched only when the page opens, never by the inbox. Observers have no Reports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, BASE_URL, expectAttr, login, newChat, newClient, TEST_TIMEOUT, waitUntil, withBrowser } from './support.mjs';

const uplotLoaded = (page) => page.evaluate(() => performance.getEntriesByType('resource').some((e) => /uPlot/i.test(e.name)));

test('reports: figures, a chart from seeded data, the manager table and filter, the CSV; uPlot only on this route', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const admin = await apiSession('admin');
  await newChat(admin, newClient('Report'), 'Quero saber o prazo de entrega');
  await withBrowser(async ({ page }) => {
    await login(page, 'admin');
    assert.equal(await uplotLoaded(page), false, 'the inbox does not load uPlot');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-page').waitFor();
    await page.getByTestId('report-figures').waitFor();

    // The demo's chats over the last 30 days, counted as the API counts them.
    const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; });
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const report = await admin.get(`/api/reports/overview?from=${from}&to=${today}&tz=${encodeURIComponent(tz)}`);
    assert.ok(report.figures.newChats >= 2, `seeded chats in the last 30 days: ${report.figures.newChats}`);
    assert.ok(report.series.newChats.filter((n) => n > 0).length >= 2, 'the seeded chats fall on more than one day');
    await waitUntil(async () => (await page.getByTestId('report-new-chats-value').textContent())?.trim() === report.figures.newChats.toLocaleString('en-US'), { message: 'new chats figure' });

    // The chart is drawn (uPlot's canvas) from those figures, and uPlot came with this page.
    await expectAttr(page.getByTestId('report-chart-volume-canvas'), 'data-ready', 'true');
    assert.equal(await page.locator('[data-testid="report-chart-volume-canvas"] canvas').count(), 1);
    assert.ok(await uplotLoaded(page), 'uPlot loads on the reports route');
    const legend = await page.getByTestId('report-chart-volume').textContent();
    assert.match(legend ?? '', /New chats/);

    // One row per manager with activity; filtering by one narrows the figures to theirs.
    const rows = page.getByTestId('report-manager-row');
    await waitUntil(async () => (await rows.count()) >= 1, { message: 'manager rows' });
    const ana = report.managers.find((m) => m.name === 'Ana');
    assert.ok(ana, 'Ana has a row');
    await page.getByTestId('report-manager').selectOption({ label: 'Ana' });
    await waitUntil(() => page.url().includes(`userId=${ana.userId}`), { message: 'the filter in the URL' });
    await waitUntil(async () => (await page.getByTestId('report-new-chats-value').textContent())?.trim() === String(ana.newChats), { message: 'Ana\'s new chats' });

    // The CSV link exports what is shown: the same period and filter.
    const href = await page.getByTestId('report-export').getAttribute('href');
    assert.match(href ?? '', /^\/api\/reports\/export\.csv\?.*userId=/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    assert.match(csv, new RegExp(`^new chats,${ana.newChats},`, 'm'));
    assert.match(csv, /^Ana,/m);
  });
});

test('reports: an observer has no Reports link and the API refuses them', { timeout: TEST_TIMEOUT }, async () => {
  const olga = await apiSession('olga');
  const res = await fetch(`${BASE_URL}/api/reports/overview?from=2026-01-01&to=2026-01-31`, { headers: { cookie: olga.cookie } });
  assert.equal(res.status, 403);
  await withBrowser(async ({ page }) => {
    await login(page, 'olga');
    assert.equal(await page.getByTestId('nav-reports').count(), 0);
  });
});
