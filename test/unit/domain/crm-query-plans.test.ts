/**
 * The Contacts directory and the funnel board must stay index walks at 100k contacts / 10k deals: their
 * SQL, recorded through a D1 proxy, may not scan contacts or opportunities in full nor sort a temp b-tree.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { createFunnel, duplicatesOf, getBoard, searchContacts, updateContact } from '../../../worker/domain/crm';
import { clientText, ingest, makeIntegration, uniq } from '../../support/factory';
import { recordingD1, type Recorded } from '../../support/recording-d1';
import { countingD1 } from '../../support/counting-d1';

async function plansOf(run: (d: ReturnType<typeof database>) => Promise<unknown>): Promise<string[][]> {
  const log: Recorded[] = [];
  await run(database(recordingD1(env.DB, log)));
  const plans: string[][] = [];
  for (const r of log.filter((x) => /^\s*select/i.test(x.sql))) {
    const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>();
    plans.push(res.results.map((x) => x.detail));
  }
  expect(plans.length).toBeGreaterThan(0);
  return plans;
}

/** "SCAN contacts" / "SCAN c" with no index is a walk over every row. */
const fullScan = /^SCAN (c|card|contacts|opportunities|"opportunities"|"contacts")$/;

describe('query plans of the CRM lists', () => {
  let funnelId: string;
  beforeAll(async () => {
    const funnel = await createFunnel({ db: database(env.DB) }, { name: `F ${uniq()}`, stages: ['Novo', 'Proposta'] });
    funnelId = funnel.id;
    const bot = await makeIntegration({ funnelId });
    for (let i = 0; i < 3; i++) await ingest(bot, clientText(uniq(), 'Oi', { name: `Conceição ${i}` }));
  });

  it('the directory walks the FTS index or contacts_unmerged by rowid, never sorting', async () => {
    for (const q of [undefined, 'conceicao', '5511 9']) {
      const plans = await plansOf((d) => searchContacts(d, { q, limit: 50 }));
      for (const plan of plans) {
        expect(plan.filter((l) => fullScan.test(l)), plan.join('\n')).toEqual([]);
        expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('duplicate suggestions find the same phone, email and name through indexes', async () => {
    const page = await searchContacts(database(env.DB), { q: 'conceicao', limit: 1 });
    const id = page.items[0].id;
    await updateContact({ db: database(env.DB) }, id, { phone: '+55 11 90000-1111', email: 'c@example.com' });
    const plans = await plansOf((d) => duplicatesOf(d, id));
    expect(plans.flat().join('\n')).toMatch(/contacts_phone/);
    expect(plans.flat().join('\n')).toMatch(/contacts_email/);
    for (const plan of plans) expect(plan.filter((l) => fullScan.test(l)), plan.join('\n')).toEqual([]);
  });

  it('the board reads each column and the totals from opportunities_board, never sorting', async () => {
    const plans = await plansOf((d) => getBoard(d, funnelId, {}));
    // Count and amount per column from the index alone: no row lookup per deal at 10k deals.
    expect(plans.flat().join('\n')).toMatch(/COVERING INDEX opportunities_board/);
    const onOpportunities = plans.filter((p) => p.some((l) => /opportunities/.test(l)));
    expect(onOpportunities.length).toBeGreaterThan(0);
    for (const plan of onOpportunities) {
      expect(plan.join('\n'), plan.join('\n')).toMatch(/opportunities_board/);
      expect(plan.join('\n'), plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(plan.filter((l) => fullScan.test(l)), plan.join('\n')).toEqual([]);
    }
  });

  it('the board costs one D1 round trip, however many stages its funnel has', async () => {
    const counting = countingD1(env.DB);
    const board = await getBoard(database(counting.d1), funnelId, {});
    expect(board.columns.map((c) => c.stage.name)).toEqual(['Novo', 'Proposta']);
    expect(board.columns[0].count).toBe(3);
    expect(counting.trips()).toBe(1);
  });
});
