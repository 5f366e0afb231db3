#!/usr/bin/env node
/**
 * Deployment administration through wrangler — no HTTP endpoint is ever open for it.
 *
 *   npm run admin -- create-admin --email boss@company.com --name "Boss" [--password …] [--remote]
 *   npm run admin -- reports:backfill [--remote]
 *
 * Without --password a strong one is generated and printed once. Without --remote it writes the
 * local development database (same state dir as `npm start`, or PONTE_STATE_DIR).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { backfillWithWrangler } from './lib/reports-backfill.mjs';
import { insertUserSql } from './lib/user-sql.mjs';
import { wrangler } from './lib/wrangler.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, remote: { type: 'boolean', default: false } },
});

const [command] = positionals;
const where = values.remote ? ['--remote'] : ['--local', '--persist-to', process.env.PONTE_STATE_DIR ?? '.wrangler/state'];
if (command === 'reports:backfill') {
  // Once, after the migration that adds the report triggers, on a database that already had chats:
  // the rollups are rebuilt from the stored events and messages (what the triggers would have kept).
  const t0 = Date.now();
  const { windows } = await backfillWithWrangler(where, { log: console.log });
  console.log(`Report rollups rebuilt from the stored rows (${windows} month windows) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(0);
}
if (command !== 'create-admin' || !values.email) {
  console.error('usage: npm run admin -- create-admin --email EMAIL [--name NAME] [--password PASSWORD] [--remote]\n       npm run admin -- reports:backfill [--remote]');
  process.exit(2);
}
const password = values.password ?? randomBytes(12).toString('base64url');
if (password.length < 8) {
  console.error('The password needs at least 8 characters.');
  process.exit(2);
}
const sql = await insertUserSql({ email: values.email, name: values.name ?? values.email.split('@')[0], role: 'admin', password });
wrangler(['d1', 'execute', 'DB', ...where, '--command', sql], { capture: true });
console.log(`Administrator ${values.email} is ready${values.password ? '' : ` with password: ${password}`}`);
console.log('(An existing user with that email is left unchanged.)');
