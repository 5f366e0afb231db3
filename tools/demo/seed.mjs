/**
 * The local demo (API.md "Local demo"): four users, two funnels, a Telegram and a Viber bot connected
 * to the local simulators with queue [Ana, Bruno], and a few dozen conversations played through the
 * simulators — so every chat arrived the way a real one does (webhook → ingest → queue → live).
 * Runs only when the database has no users, so restarting keeps your data.
 */
import { insertUserSql } from '../lib/user-sql.mjs';
import { wrangler } from '../lib/wrangler.mjs';
import { conversations } from './conversations.mjs';

export const demoLogins = [
  { role: 'admin', email: 'admin@demo.ponte', password: 'demo-admin', name: 'Admin' },
  { role: 'employee', email: 'ana@demo.ponte', password: 'demo-ana', name: 'Ana' },
  { role: 'employee', email: 'bruno@demo.ponte', password: 'demo-bruno', name: 'Bruno' },
  { role: 'observer', email: 'olga@demo.ponte', password: 'demo-olga', name: 'Olga' },
];

export const demoBots = {
  telegram: { token: '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ', name: 'Ponte Demo Bot', username: 'PonteDemoBot' },
  viber: { token: '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73', name: 'Ponte Viber' },
};

const texts = {
  telegram: { greetingText: 'Olá! 👋 Bem-vindo à Ponte Demo. Como podemos ajudar? / Hi! How can we help?', autoReplyText: 'Recebemos a sua mensagem e um atendente já vai responder. / A manager will answer shortly.' },
  viber: { greetingText: 'Olá! Bem-vindo ao Ponte Viber. Escreva a sua pergunta.', autoReplyText: 'Obrigado! Um atendente responde em breve.' },
};

/**
 * The demo users, written straight into the local D1 (no admin exists yet to call the API). Best run
 * before `wrangler dev` starts: a write next to a running Worker can make it swap its database file
 * under an in-flight request. Returns true when the database was empty and the users were written.
 */
export async function seedDemoUsersIfEmpty(stateDir) {
  const out = wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--json', '--command', 'SELECT count(*) AS n FROM users'], { capture: true });
  if (JSON.parse(out)[0].results[0].n > 0) return false;
  const sql = (await Promise.all(demoLogins.map((u, i) => insertUserSql(u, i)))).join('\n');
  wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--command', sql], { capture: true });
  return true;
}

/** Everything else of the demo, through the running Worker's API and the simulators. */
export async function seedDemoContent({ baseUrl, fakes, quick = false, log = () => {} }) {
  const api = client(baseUrl);
  const admin = await api.login('admin@demo.ponte', 'demo-admin');
  const users = await api.get(admin, '/api/users');
  const id = (email) => users.find((u) => u.email === email).id;
  const queue = [id('ana@demo.ponte'), id('bruno@demo.ponte')];

  const funnels = {
    telegram: await api.post(admin, '/api/funnels', { name: 'Vendas Loja', stages: ['Novo', 'Qualificado', 'Proposta', 'Ganho', 'Perdido'] }),
    viber: await api.post(admin, '/api/funnels', { name: 'Viber Leads', stages: ['New', 'Contacted', 'Won', 'Lost'] }),
  };
  if (!fakes) {
    log('No messenger simulators: skipping the demo bots and conversations.');
    return true;
  }
  const control = controlClient(fakes.url);
  const integrations = {};
  for (const channel of ['telegram', 'viber']) {
    await control('/_control/bots', { channel, ...demoBots[channel] });
    integrations[channel] = await api.post(admin, '/api/integrations', { channel, token: demoBots[channel].token, funnelId: funnels[channel].id, ...texts[channel] });
    await api.put(admin, `/api/integrations/${integrations[channel].id}/queue`, { userIds: queue });
  }

  const cookies = { [id('ana@demo.ponte')]: await api.login('ana@demo.ponte', 'demo-ana'), [id('bruno@demo.ponte')]: await api.login('bruno@demo.ponte', 'demo-bruno') };
  const olga = id('olga@demo.ponte');
  const list = quick ? conversations.slice(0, 4) : conversations;
  for (const [i, conv] of list.entries()) {
    const user = conv.channel === 'telegram' ? { id: 5100000000 + i, ...conv.user } : { id: `demo${i}Vb${String(i).padStart(4, '0')}==`, ...conv.user };
    const name = conv.user.name ?? [conv.user.first_name, conv.user.last_name].filter(Boolean).join(' ');
    let chat = null;
    for (const line of conv.lines) {
      const [who, ...rest] = line.split(':');
      const text = rest.join(':');
      if (who === 'c') {
        if (conv.channel === 'telegram') await control('/_control/telegram/send', { token: demoBots.telegram.token, user, text });
        else await control('/_control/viber/send', { token: demoBots.viber.token, user, text });
        chat ??= await findChat(api, admin, name);
      } else if (chat) {
        await api.post(cookies[chat.responsibleId] ?? admin, `/api/chats/${chat.id}/messages`, { text });
      }
    }
    if (!chat) continue;
    const actor = cookies[chat.responsibleId] ?? admin;
    if (conv.tags) await api.put(actor, `/api/chats/${chat.id}/tags`, { tags: conv.tags });
    if (i % 3 === 1) await api.put(admin, `/api/chats/${chat.id}/observers`, { userIds: [olga] });
    if (conv.end === 'close') await api.post(actor, `/api/chats/${chat.id}/close`, {});
  }
  return true;
}

async function findChat(api, cookie, contactName) {
  for (let i = 0; i < 40; i++) {
    const page = await api.get(cookie, `/api/chats/archive?limit=100`);
    const hit = page.items.find((c) => c.contact.name === contactName);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** A tiny JSON client for the Ponte API with cookie sessions. */
function client(baseUrl) {
  const call = async (cookie, method, path, body) => {
    const res = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return { res, data: text ? JSON.parse(text) : null };
  };
  return {
    async login(email, password) {
      const { res } = await call(null, 'POST', '/api/auth/login', { email, password });
      return res.headers.get('set-cookie').split(';')[0];
    },
    get: async (cookie, path) => (await call(cookie, 'GET', path)).data,
    post: async (cookie, path, body) => (await call(cookie, 'POST', path, body)).data,
    put: async (cookie, path, body) => (await call(cookie, 'PUT', path, body)).data,
  };
}

function controlClient(url) {
  return async (path, body) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`fake ${path} → ${res.status} ${await res.text()}`);
    return res.json();
  };
}
