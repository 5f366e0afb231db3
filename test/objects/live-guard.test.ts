/**
 * `requireLiveViewer`: the live routes refuse with the same same-site rule as REST mutations (one helper)
 * and answer through the app's error mapper, so every refusal has the `{error:{code,message}}` body.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeChat } from '../support/chat-world';
import { call } from '../support/http';
import { connect, person } from './live-support';

describe('live route guard', () => {
  let admin: Awaited<ReturnType<typeof person>>;
  let chatId: string;
  beforeAll(async () => {
    admin = await person('admin');
    chatId = (await makeChat()).chatId;
  });

  it('refuses exactly the requests REST mutations refuse as coming from another site', async () => {
    const variants: Record<string, string>[] = [
      {}, { origin: 'http://ponte.test' }, { origin: 'https://evil.example' }, { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-origin', origin: 'http://ponte.test' },
    ];
    for (const headers of variants) {
      const rest = await call('POST', `/api/chats/${chatId}/read`, { cookie: admin.cookie, headers });
      const live = await connect(`/api/chats/${chatId}/live`, admin.cookie, headers);
      live.client?.close();
      const verdict = (status: number) => (status === 403 ? 'refused' : 'let through');
      expect(verdict(live.res.status), JSON.stringify(headers)).toBe(verdict(rest.status));
    }
  });

  it('every refusal goes through the error mapper', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [connect('/api/live').then((r) => r.res), 401, 'unauthorized'],
      [connect('/api/live', admin.cookie, { origin: 'https://evil.example' }).then((r) => r.res), 403, 'cross_origin'],
      [call('GET', '/api/live', { cookie: admin.cookie }), 426, 'upgrade_required'],
      [connect(`/api/chats/${chatId}/live?after=x`, admin.cookie).then((r) => r.res), 400, 'validation_failed'],
      [connect('/api/chats/no-such-chat/live', admin.cookie).then((r) => r.res), 404, 'not_found'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      expect([res.status, await res.json()]).toMatchObject([status, { error: { code, message: expect.any(String) } }]);
    }
  });
});
