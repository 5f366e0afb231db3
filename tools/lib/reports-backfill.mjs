/**
 * The report rollups rebuilt from stored rows: the statements of worker/domain/reports/backfill.sql,
 * `reset` once, then `replay(from, to)` per time window oldest first, then the first responses of
 * integrations with business hours timed in JavaScript (the replay leaves them in report_business_pending:
 * SQL has no calendar). Shared by `npm run admin -- reports:backfill`, the bench's data generator and the
 * consistency test (which passes the SQL text in and runs the last step itself).
 */

/** Parses backfill.sql: `{ reset: string[], replay(from, to): string[] }`. */
export function backfillStatements(source) {
  const sections = new Map(source.split(/^-- @/m).slice(1).map((part) => {
    const [name, ...body] = part.split('\n');
    return [name.trim(), body.join('\n')];
  }));
  const statements = (sql) => sql.split(/;\s*$/m).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
  return {
    reset: statements(sections.get('reset') ?? ''),
    replay: (from, to) => statements((sections.get('replay') ?? '').replaceAll('{{FROM}}', String(Math.trunc(from))).replaceAll('{{TO}}', String(Math.trunc(to)))),
  };
}

/** Windows of `stepMs` covering [min, max]: a remote D1 statement stays short on a large database. */
export function replayWindows(min, max, stepMs = 31 * 86_400_000) {
  const out = [];
  for (let from = min; from <= max; from += stepMs) out.push([from, Math.min(from + stepMs, max + 1)]);
  return out;
}

/**
 * Rebuilds the rollups of a D1 database through wrangler: `where` is `['--local', '--persist-to', dir]`
 * or `['--remote']`. Locally it is one file; remotely one call per 31-day window, so no statement runs long.
 */
export async function backfillWithWrangler(where, { remote = where.includes('--remote'), log = () => {} } = {}) {
  const { readFileSync, writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { wrangler } = await import('./wrangler.mjs');
  const source = readFileSync(new URL('../../worker/domain/reports/backfill.sql', import.meta.url), 'utf8');
  const { reset, replay } = backfillStatements(source);
  const boundsSql = 'SELECT min(at) AS lo, max(at) AS hi FROM (SELECT min(created_at) AS at FROM chat_events UNION ALL SELECT max(created_at) FROM chat_events UNION ALL SELECT min(created_at) FROM messages UNION ALL SELECT max(created_at) FROM messages)';
  const [bounds] = JSON.parse(wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', boundsSql], { capture: true })).at(-1)?.results ?? [];
  const windows = bounds?.lo == null ? [] : replayWindows(bounds.lo, bounds.hi);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-backfill-'));
  const run = (statements) => {
    const file = path.join(dir, 'step.sql');
    writeFileSync(file, statements.map((s) => `${s};`).join('\n'));
    wrangler(['d1', 'execute', 'DB', ...where, '--file', file, '--yes'], { capture: true, timeoutMs: 30 * 60_000 });
  };
  const query = (sql) => JSON.parse(wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', sql], { capture: true })).at(-1)?.results ?? [];
  let timed = 0;
  try {
    if (!remote) {
      run([...reset, ...windows.flatMap(([from, to]) => replay(from, to))]);
    } else {
      run(reset);
      for (const [i, [from, to]] of windows.entries()) {
        run(replay(from, to));
        log(`  ${i + 1}/${windows.length} ${new Date(from).toISOString().slice(0, 10)}`);
      }
    }
    // A page at a time: counting a page deletes it from the pending table.
    const { PENDING_PAGE_SQL, pendingBusinessSql } = await businessTiming();
    for (let page = query(PENDING_PAGE_SQL); page.length; page = query(PENDING_PAGE_SQL)) {
      run(pendingBusinessSql(page));
      timed += page.length;
    }
    if (timed) log(`  ${timed} first responses timed in business hours`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { windows: windows.length, timedInBusinessHours: timed };
}

/**
 * The Worker's own business-hours timing (TypeScript: worker/domain/reports/business-frt.ts and the hours
 * calendar), loaded through Vite's module runner so Node runs the very code the reply path runs.
 */
async function businessTiming() {
  const { runnerImport } = await import('vite');
  const { module } = await runnerImport(new URL('../../worker/domain/reports/business-frt.ts', import.meta.url).pathname, { configFile: false, logLevel: 'silent' });
  return module;
}
