/**
 * One line for a log: the error's name and message and those of its causes. drizzle wraps D1 errors as
 * "Failed query: …" and keeps what SQLite said (busy, constraint, …) only in `cause`.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' ← caused by ');
}
