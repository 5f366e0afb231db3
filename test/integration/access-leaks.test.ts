/**
 * What an observer must not learn: other chats' deals on a chat card, colleagues' emails, whether a
 * chat they do not observe exists (live route too), and who muted what (mute is a personal setting).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOpportunity } from '../../worker/domain/crm';
import { observe, setupAdmin } from '../support/chat-world';
import { crmFixture } from '../support/crm-fixtures';
import { db } from '../support/factory';
import { call } from '../support/http';
import { connect, person } from '../objects/live-support';

type Person = Awaited<ReturnType<typeof person>>;
const same = { origin: 'http://ponte.test' };
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

describe('access leaks', () => {
  let employee: Person;
  let observer: Person;
  beforeAll(async () => {
    employee = await person('employee');
    observer = await person('observer');
  });

  it("an observer's chat card lists only that chat's opportunities; staff see the contact's others", async () => {
    const f = await crmFixture();
    await observe(f.chat.id, [observer.id]);
    // The same client's other deal, not from this chat.
    await createOpportunity({ db: db() }, await setupAdmin(), { contactId: f.contactId, funnelId: f.funnel.id, title: 'Outra venda', amount: 99_000 });
    const seen = (await json(await call('GET', `/api/chats/${f.chat.id}`, { cookie: observer.cookie }))).opportunities as { id: string; chatId: string }[];
    expect(seen.map((o) => o.id)).toEqual([f.opportunity.id]);
    const staff = (await json(await call('GET', `/api/chats/${f.chat.id}`, { cookie: employee.cookie }))).opportunities as { title: string }[];
    expect(staff.map((o) => o.title)).toContain('Outra venda');
  });

  it("an observer's user list has no emails; staff's has them", async () => {
    const forObserver = (await (await call('GET', '/api/users', { cookie: observer.cookie })).json()) as Record<string, unknown>[];
    expect(forObserver.length).toBeGreaterThan(0);
    expect(forObserver.filter((u) => 'email' in u)).toEqual([]);
    const forStaff = (await (await call('GET', '/api/users', { cookie: employee.cookie })).json()) as { email?: string }[];
    expect(forStaff.every((u) => typeof u.email === 'string')).toBe(true);
  });

  it('the live route answers 404 like REST for a chat the user may not see', async () => {
    const f = await crmFixture();
    const rest = await call('GET', `/api/chats/${f.chat.id}`, { cookie: observer.cookie });
    const live = await connect(`/api/chats/${f.chat.id}/live`, observer.cookie);
    expect([rest.status, live.res.status]).toEqual([404, 404]);
    expect(await json(live.res)).toEqual(await json(rest));
  });

  it('muting is the user\'s own setting: no timeline event, even when an observer mutes', async () => {
    const f = await crmFixture();
    await observe(f.chat.id, [observer.id]);
    const put = await call('PUT', `/api/chats/${f.chat.id}/notifications`, { cookie: observer.cookie, body: { muted: true }, headers: same });
    expect([put.status, await json(put)]).toEqual([200, { muted: true }]);
    expect((await json(await call('GET', `/api/chats/${f.chat.id}`, { cookie: observer.cookie }))).muted).toBe(true);
    expect((await json(await call('GET', `/api/chats/${f.chat.id}`, { cookie: employee.cookie }))).muted).toBe(false);
    const timeline = (await json(await call('GET', `/api/chats/${f.chat.id}/timeline`, { cookie: employee.cookie }))).items as { kind?: string; type?: string }[];
    expect(timeline.filter((i) => i.type === 'muted' || i.type === 'unmuted')).toEqual([]);
  });
});
