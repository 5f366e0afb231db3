/**
 * The report rollups rebuilt from stored rows: the statements of worker/domain/reports/backfill.sql,
 * `reset` once, then `replay(from, to)` per time window oldest first. Shared by `npm run admin --
 * reports:backfill`, the bench's data generator and the consistency test (which passes the SQL text in).
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
