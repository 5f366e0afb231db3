/**
 * Canned responses through the real routes: who sees and manages which set, variables refused when
 * saving, one shortcut per set, and the tested maxima (lengths, responses per set).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CANNED_LIMITS } from '../../worker/shared/canned-wire';
import { makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';

const people = {} as Team;
const cookie = {} as TeamCookies;
beforeAll(() => makeTeam(people, cookie));

type Canned = { id: string; scope: string; ownerId: string | null; shortcut: string; title: string; text: string };
const body = (over: Record<string, unknown> = {}) => ({ shortcut: `s${Math.random().toString(36).slice(2, 10)}`, title: 'Saudação', text: 'Olá {{contact.first_name}}!', ...over });

async function create(who: keyof Team, over: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/canned-responses', { cookie: cookie[who], body: body(over) });
  return { status: res.status, json: (await res.json()) as Canned & { error?: { code: string; message: string; details?: { variables?: string[] } } } };
}
async function list(who: keyof Team | string) {
  const res = await call('GET', '/api/canned-responses', { cookie: who in cookie ? cookie[who as keyof Team] : who });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Canned[] }).items;
}

describe('who sees and manages canned responses', () => {
  it('a personal response is its owner\'s alone; a shared one is every staff member\'s', async () => {
    const own = await create('ana', { shortcut: 'Obrigado', scope: 'personal' });
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({ scope: 'personal', ownerId: people.ana.id, shortcut: 'obrigado' });
    const shared = await create('admin', { scope: 'shared', shortcut: 'horario', text: 'Atendemos das 9h às 18h. {{agent.name}}, {{bot.name}}' });
    expect(shared.status).toBe(201);
    expect(shared.json).toMatchObject({ scope: 'shared', ownerId: null });

    expect((await list('ana')).map((r) => r.id)).toEqual(expect.arrayContaining([own.json.id, shared.json.id]));
    expect((await list('bruno')).map((r) => r.id)).toContain(shared.json.id);
    expect((await list('bruno')).map((r) => r.id)).not.toContain(own.json.id);
    // Admins manage the shared set, not other people's own responses.
    expect((await list('admin')).map((r) => r.id)).not.toContain(own.json.id);
    for (const who of ['bruno', 'admin'] as const) {
      expect((await call('PATCH', `/api/canned-responses/${own.json.id}`, { cookie: cookie[who], body: { title: 'x' } })).status).toBe(404);
      expect((await call('DELETE', `/api/canned-responses/${own.json.id}`, { cookie: cookie[who] })).status).toBe(404);
    }
  });

  it('employees use the shared set but may not change it; admins may', async () => {
    expect((await create('ana', { scope: 'shared' })).status).toBe(403);
    const shared = await create('admin', { scope: 'shared' });
    expect((await call('PATCH', `/api/canned-responses/${shared.json.id}`, { cookie: cookie.ana, body: { title: 'Mudado' } })).status).toBe(403);
    expect((await call('DELETE', `/api/canned-responses/${shared.json.id}`, { cookie: cookie.ana })).status).toBe(403);
    const patched = await call('PATCH', `/api/canned-responses/${shared.json.id}`, { cookie: cookie.admin, body: { title: 'Mudado', text: 'Oi {{ contact.name }}' } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ title: 'Mudado', text: 'Oi {{ contact.name }}', shortcut: shared.json.shortcut });
    expect((await call('DELETE', `/api/canned-responses/${shared.json.id}`, { cookie: cookie.admin })).status).toBe(204);
    expect((await list('ana')).map((r) => r.id)).not.toContain(shared.json.id);
  });

  it('observers have none: listing and saving are 403, and nothing is saved', async () => {
    expect((await call('GET', '/api/canned-responses', { cookie: cookie.olga })).status).toBe(403);
    const shortcut = `olga${Date.now()}`;
    expect((await create('olga', { shortcut })).status).toBe(403);
    expect((await list('admin')).map((r) => r.shortcut)).not.toContain(shortcut);
    expect((await call('GET', '/api/canned-responses')).status).toBe(401);
  });
});

describe('variables', () => {
  it('refuses an unknown variable when saving, naming it, and saves nothing', async () => {
    const shortcut = `var${Date.now()}`;
    const res = await create('ana', { shortcut, text: 'Olá {{contact.first_name}}, seu pedido {{order.id}} saiu' });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('unknown_variable');
    expect(res.json.error?.message).toContain('order.id');
    expect(res.json.error?.details?.variables).toEqual(['order.id']);
    expect((await list('ana')).map((r) => r.shortcut)).not.toContain(shortcut);
  });

  it('refuses one in an edit too, leaving the response as it was', async () => {
    const saved = await create('ana');
    const res = await call('PATCH', `/api/canned-responses/${saved.json.id}`, { cookie: cookie.ana, body: { text: 'Oi {{cliente}}' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { variables: string[] } } }).error.details.variables).toEqual(['cliente']);
    expect((await list('ana')).find((r) => r.id === saved.json.id)?.text).toBe(saved.json.text);
  });
});

describe('one shortcut per set', () => {
  it('a taken shortcut is 409 in the same set (whatever its case), fine in another set', async () => {
    const shortcut = `dup${Date.now()}`;
    expect((await create('ana', { shortcut })).status).toBe(201);
    const again = await create('ana', { shortcut: shortcut.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('shortcut_taken');
    expect((await create('bruno', { shortcut })).status).toBe(201);
    expect((await create('admin', { shortcut, scope: 'shared' })).status).toBe(201);
    expect((await create('admin', { shortcut, scope: 'shared' })).status).toBe(409);
  });

  it('renaming onto a taken shortcut is 409 and changes nothing', async () => {
    const a = await create('bruno');
    const b = await create('bruno');
    const res = await call('PATCH', `/api/canned-responses/${b.json.id}`, { cookie: cookie.bruno, body: { shortcut: a.json.shortcut, title: 'Novo' } });
    expect(res.status).toBe(409);
    expect((await list('bruno')).find((r) => r.id === b.json.id)).toMatchObject({ shortcut: b.json.shortcut, title: b.json.title });
  });
});

describe('limits', () => {
  it('takes each text at its maximum and refuses one character more with a 400', async () => {
    const at = await create('ana', { shortcut: 'a'.repeat(CANNED_LIMITS.shortcut), title: 't'.repeat(CANNED_LIMITS.title), text: 'x'.repeat(CANNED_LIMITS.text) });
    expect(at.status).toBe(201);
    expect(at.json.text).toHaveLength(CANNED_LIMITS.text);
    for (const over of [{ shortcut: 'b'.repeat(CANNED_LIMITS.shortcut + 1) }, { title: 't'.repeat(CANNED_LIMITS.title + 1) }, { text: 'x'.repeat(CANNED_LIMITS.text + 1) }]) {
      const res = await create('ana', over);
      expect(res.status).toBe(400);
      expect(res.json.error?.code).toBe('validation_failed');
    }
    for (const bad of [{ shortcut: 'com espaço' }, { shortcut: '' }, { text: '   ' }, { scope: 'team' }, { extra: 1 }]) expect((await create('ana', bad)).status).toBe(400);
  });

  it(`holds ${CANNED_LIMITS.perScope} responses per person, then refuses with 409 — others unaffected`, async () => {
    const user = await makeUser('employee');
    const own = await loginAs(user.email, user.password);
    for (let i = 0; i < CANNED_LIMITS.perScope - 1; i++) {
      const res = await call('POST', '/api/canned-responses', { cookie: own, body: body({ shortcut: `r${i}` }) });
      expect(res.status).toBe(201);
    }
    // The last free place, asked for twice at once: exactly one gets it.
    const race = await Promise.all([0, 1].map((i) => call('POST', '/api/canned-responses', { cookie: own, body: body({ shortcut: `last${i}` }) })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await list(own)).toHaveLength(CANNED_LIMITS.perScope + (await list('bruno')).filter((r) => r.scope === 'shared').length);
    const over = await call('POST', '/api/canned-responses', { cookie: own, body: body() });
    expect(over.status).toBe(409);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('too_many_canned_responses');
    expect((await create('bruno')).status).toBe(201);
    // Deleting one frees a place.
    const first = (await list(own)).find((r) => r.shortcut === 'r0')!;
    expect((await call('DELETE', `/api/canned-responses/${first.id}`, { cookie: own })).status).toBe(204);
    expect((await call('POST', '/api/canned-responses', { cookie: own, body: body() })).status).toBe(201);
  }, 120_000);
});
