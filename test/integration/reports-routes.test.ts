/**
 * GET /api/reports/overview and /api/reports/export.csv over HTTP: what each role gets, the query's
 * validation (clear 400s, at the 366-day maximum), and the CSV carrying what the overview shows.
 */
import { describe, expect, it } from 'vitest';
import { call, loginAs } from '../support/http';
import { clientText, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../support/factory';

describe('reports routes', () => {
  it('serves admins and employees, refuses observers and strangers, and validates the query', async () => {
    const admin = await makeUser('admin');
    const ana = await makeUser('employee', `ana-${uniq()}`);
    const olga = await makeUser('observer');
    const integration = await makeIntegration();
    await ingest(integration, clientText(uniq(), 'Olá, quero um orçamento', { name: 'Maria, "a cliente"' }), { ...ingestDeps(async () => ana.id), now: () => Date.UTC(2026, 10, 3, 15) });
    const [adminCookie, anaCookie, olgaCookie] = await Promise.all([loginAs(admin.email, admin.password), loginAs(ana.email, ana.password), loginAs(olga.email, olga.password)]);
    const q = `from=2026-11-01&to=2026-11-30&integrationId=${integration.id}`;

    const res = await call('GET', `/api/reports/overview?${q}`, { cookie: anaCookie });
    expect(res.status).toBe(200);
    const body = await res.json() as { figures: { newChats: number; messagesIn: number }; series: { days: string[]; newChats: number[] }; managers: { userId: string; name: string; newChats: number }[] };
    expect(body.figures).toMatchObject({ newChats: 1, messagesIn: 1 });
    expect(body.series.days).toHaveLength(30);
    expect(body.series.newChats[2]).toBe(1);
    expect(body.managers).toEqual([expect.objectContaining({ userId: ana.id, name: ana.name, newChats: 1 })]);

    expect((await call('GET', `/api/reports/overview?${q}`, { cookie: adminCookie })).status).toBe(200);
    expect((await call('GET', `/api/reports/overview?${q}`, { cookie: olgaCookie })).status).toBe(403);
    expect((await call('GET', `/api/reports/export.csv?${q}`, { cookie: olgaCookie })).status).toBe(403);
    expect((await call('GET', `/api/reports/overview?${q}`)).status).toBe(401);

    const bad = async (query: string, code: string) => {
      const r = await call('GET', `/api/reports/overview?${query}`, { cookie: adminCookie });
      expect(r.status, query).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code, query).toBe(code);
    };
    await bad('to=2026-11-30', 'validation_failed');
    await bad('from=yesterday&to=2026-11-30', 'validation_failed');
    await bad('from=2026-11-31x&to=2026-11-30', 'validation_failed');
    await bad(`from=2026-11-01&to=2026-11-30&userId=${'x'.repeat(65)}`, 'validation_failed');
    await bad('from=2026-12-01&to=2026-11-30', 'invalid_range');
    await bad('from=2025-11-29&to=2026-11-30', 'range_too_long'); // 367 days
    await bad('from=2026-11-01&to=2026-11-30&tz=Not%2FA_Zone', 'invalid_time_zone');
    expect((await call('GET', '/api/reports/overview?from=2025-11-30&to=2026-11-30', { cookie: adminCookie })).status).toBe(200); // 366: the maximum
    // ISO instants work too: [from, to) in the viewer's zone.
    const iso = await call('GET', `/api/reports/overview?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&integrationId=${integration.id}`, { cookie: adminCookie });
    expect(iso.status).toBe(200);
    // Both first-response clocks, always: raw and in business hours.
    const isoBody = (await iso.json()) as { figures: Record<string, unknown>; series: Record<string, unknown[]> };
    expect(isoBody.figures.firstResponseBusiness).toMatchObject({ count: expect.any(Number) });
    expect(isoBody.series.firstResponseBusinessAvgMs).toHaveLength(isoBody.series.firstResponseAvgMs.length);
  });

  it('exports what the overview shows as CSV, quoting names and defusing formulas', async () => {
    const admin = await makeUser('admin');
    const ana = await makeUser('employee', `=HYPERLINK("x"),${uniq()}`);
    const integration = await makeIntegration();
    await ingest(integration, clientText(uniq(), 'Oi'), { ...ingestDeps(async () => ana.id), now: () => Date.UTC(2026, 10, 5, 12) });
    const cookie = await loginAs(admin.email, admin.password);
    const res = await call('GET', `/api/reports/export.csv?from=2026-11-01&to=2026-11-07&integrationId=${integration.id}`, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('ponte-report-2026-11-01-2026-11-07.csv');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('metric,2026-11-01..2026-11-07 (UTC),2026-10-25..2026-10-31');
    expect(lines).toContain('new chats,1,0');
    expect(lines).toContain('2026-11-05,1,0,0,1,0,0,,,,');
    expect(lines).toContain('first response (business hours) count,0,0'); // both clocks, business hours or not
    // The manager's name is one quoted cell, starting with ' so a spreadsheet does not evaluate it.
    expect(lines.find((l) => l.startsWith(`"'=HYPERLINK(""x""),`))).toMatch(/,1,0,0,1,0,0,,,,,0,,1$/);
  });
});
