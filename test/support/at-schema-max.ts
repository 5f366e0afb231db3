/**
 * Drives every route whose JSON body takes an array at the array's schema maximum (or another size),
 * through the real fetch handler. The arrays and their maxima come from /api/openapi.json — the same
 * zod schemas that validate requests — so raising a maximum raises what the tests send, and a new
 * array-taking route without a driver here is reported instead of silently skipped.
 */
import { makeChat } from './chat-world';
import { makeIntegration, makeUser, uniq } from './factory';
import { call, loginAs } from './http';

export interface ArrayField {
  method: string;
  /** OpenAPI path under /api, e.g. /chats/{id}/observers. */
  path: string;
  field: string;
  maxItems: number;
}

export interface DriveResult {
  route: string;
  /** The concrete path called (under /api). */
  path: string;
  /** How many items each array field carried. */
  sizes: Record<string, number>;
  status: number;
  body: string;
}

type JsonSchema = { type?: string; maxItems?: number; properties?: Record<string, JsonSchema>; $ref?: string };
type OpenApi = {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Every array property of a JSON request body in the served OpenAPI document, with its maxItems. */
export async function arrayFields(): Promise<ArrayField[]> {
  const doc = (await (await call('GET', '/api/openapi.json')).json()) as OpenApi;
  const resolve = (s: JsonSchema | undefined) => (s?.$ref ? doc.components?.schemas?.[s.$ref.split('/').pop()!] : s);
  const found: ArrayField[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      for (const [field, prop] of Object.entries(body?.properties ?? {})) {
        const schema = resolve(prop);
        if (schema?.type !== 'array') continue;
        // An array without maxItems is itself a defect: nothing would bound the statements it becomes.
        found.push({ method: method.toUpperCase(), path, field, maxItems: schema.maxItems ?? Number.POSITIVE_INFINITY });
      }
    }
  }
  return found;
}

/** The request one route makes with `n(field)` items in each array field. */
type Driver = (cookie: string, n: (field: string) => number) => Promise<{ path: string; body: unknown }[]>;

const staff: { id: string }[] = [];
/** At least `count` employees, made once per test file and reused (password hashing is slow). */
async function employees(count: number) {
  while (staff.length < count) {
    const batch = Math.min(10, count - staff.length);
    staff.push(...(await Promise.all(Array.from({ length: batch }, () => makeUser('employee', `staff-${uniq()}`)))));
  }
  return staff.slice(0, count).map((u) => u.id);
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1} ${uniq()}`);

const drivers: Record<string, Driver> = {
  'PUT /integrations/{id}/queue': async (_cookie, n) => {
    const integration = await makeIntegration();
    const userIds = await employees(n('userIds'));
    return [{ path: `/api/integrations/${integration.id}/queue`, body: { userIds, away: userIds.slice(0, n('away')) } }];
  },
  'PUT /chats/{id}/observers': async (_cookie, n) => {
    const { chatId } = await makeChat();
    const userIds = await employees(n('userIds'));
    // Twice: all added, then half removed and the rest kept — both the insert and the delete at size.
    return [
      { path: `/api/chats/${chatId}/observers`, body: { userIds } },
      { path: `/api/chats/${chatId}/observers`, body: { userIds: userIds.slice(0, Math.ceil(userIds.length / 2)) } },
    ];
  },
  'PUT /chats/{id}/tags': async (_cookie, n) => {
    const { chatId } = await makeChat();
    const first = names('Tag', n('tags'));
    // Then every tag replaced by new ones: the most removed and created in one request.
    return [{ path: `/api/chats/${chatId}/tags`, body: { tags: first } }, { path: `/api/chats/${chatId}/tags`, body: { tags: names('Outra', n('tags')) } }];
  },
  'POST /chats/{id}/comments': async (_cookie, n) => {
    const { chatId } = await makeChat();
    return [{ path: `/api/chats/${chatId}/comments`, body: { text: 'Vejam isto', mentions: await employees(n('mentions')) } }];
  },
  'POST /me/mentions/read': async (cookie, n) => {
    // The caller mentioned n times (by a colleague, in one chat), then every one of them marked read by id.
    const { chatId } = await makeChat();
    const me = (await (await call('GET', '/api/me', { cookie })).json()) as { id: string };
    const colleague = await makeUser('employee', `mentioner-${uniq()}`);
    const theirs = await loginAs(colleague.email, colleague.password);
    for (let i = 0; i < n('ids'); i++) await call('POST', `/api/chats/${chatId}/comments`, { cookie: theirs, body: { text: `#${i}`, mentions: [me.id] } });
    const mine = (await (await call('GET', `/api/me/mentions?unread=true&limit=${n('ids')}`, { cookie })).json()) as { items: { id: string }[] };
    return [{ path: '/api/me/mentions/read', body: { ids: mine.items.map((m) => m.id) } }];
  },
  'POST /funnels': async (_cookie, n) => [{ path: '/api/funnels', body: { name: `Funil ${uniq()}`, stages: names('Etapa', n('stages')) } }],
  'PATCH /funnels/{id}': async (cookie, n) => {
    const size = n('stages');
    const created = await call('POST', '/api/funnels', { cookie, body: { name: `Funil ${uniq()}`, stages: names('Etapa', size) } });
    if (created.status !== 201) throw new Error(`could not create the funnel to patch: ${created.status} ${await created.text()}`);
    const funnel = (await created.json()) as { id: string; stages: { id: string }[] };
    // Half the stages kept (renamed, in reverse order), the other half removed, and new ones to fill up.
    const kept = funnel.stages.slice(0, Math.ceil(size / 2)).reverse().map((s, i) => ({ id: s.id, name: `Renomeada ${i}` }));
    const added = names('Nova', size - kept.length).map((name) => ({ name }));
    return [{ path: `/api/funnels/${funnel.id}`, body: { stages: [...kept, ...added] } }];
  },
};

/**
 * Calls every array-taking route (as the administrator behind `cookie`) with `sizeOf(field)` items in
 * each array field — by default the schema maximum. One result per request; a route the OpenAPI
 * document lists without a driver here comes back with status 0.
 */
export async function driveArrayRoutes(cookie: string, sizeOf: (f: ArrayField) => number = (f) => f.maxItems): Promise<DriveResult[]> {
  const byRoute = new Map<string, ArrayField[]>();
  for (const f of await arrayFields()) byRoute.set(`${f.method} ${f.path}`, [...(byRoute.get(`${f.method} ${f.path}`) ?? []), f]);
  const results: DriveResult[] = [];
  for (const [route, fields] of byRoute) {
    const sizes = Object.fromEntries(fields.map((f) => [f.field, sizeOf(f)]));
    const driver: Driver | undefined = drivers[route];
    const unbounded = fields.filter((f) => !Number.isFinite(sizes[f.field]));
    if (!driver || unbounded.length) {
      const why = unbounded.length ? `no maxItems on ${unbounded.map((f) => f.field).join(', ')}` : 'no driver in test/support/at-schema-max.ts';
      results.push({ route, path: '', sizes, status: 0, body: why });
      continue;
    }
    const method = route.split(' ')[0];
    for (const request of await driver(cookie, (field) => sizes[field] ?? 0)) {
      const res = await call(method, request.path, { cookie, body: request.body });
      results.push({ route, path: request.path, sizes, status: res.status, body: (await res.text()).slice(0, 300) });
    }
  }
  return results;
}
