/**
 * Canned responses: the shared set (every staff member uses it, admins manage it) and each person's
 * own. A personal response is its owner's alone: to anyone else, admins included, it does not exist.
 */
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { cannedResponses } from '../../data/schema';
import { CANNED_LIMITS, type CannedScope, type CreateCannedBody, type PatchCannedBody } from '../../shared/canned-wire';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { can, type SessionUser } from '../access';
import { clock, type Deps } from '../runtime';
import { cannedVariables, unknownVariables } from './template';

export interface CannedView {
  id: string;
  scope: CannedScope;
  ownerId: string | null;
  shortcut: string;
  title: string;
  text: string;
  createdAt: number;
  updatedAt: number;
}

type Row = typeof cannedResponses.$inferSelect;
const toView = (r: Row): CannedView => ({ ...r, scope: r.ownerId === null ? 'shared' : 'personal' });

/** What `user` may see: the shared ones and their own. */
const visibleTo = (user: Pick<SessionUser, 'id'>) => or(isNull(cannedResponses.ownerId), eq(cannedResponses.ownerId, user.id));
/** The rows of one scope: the shared set (owner null) or one person's own. */
const inScope = (ownerId: string | null) => (ownerId === null ? isNull(cannedResponses.ownerId) : eq(cannedResponses.ownerId, ownerId));

/** The shared responses and the user's own, by shortcut (at most twice CANNED_LIMITS.perScope). */
export async function listCannedResponses(db: Db, user: Pick<SessionUser, 'id'>): Promise<CannedView[]> {
  const rows = await db.select().from(cannedResponses).where(visibleTo(user)).orderBy(asc(cannedResponses.shortcut), asc(cannedResponses.ownerId)).all();
  return rows.map(toView);
}

/** Refuses a text that uses a variable nobody fills in: it would reach the client as raw braces. */
export function assertKnownVariables(text: string): void {
  const unknown = unknownVariables(text);
  if (unknown.length === 0) return;
  const list = cannedVariables.map((v) => `{{${v}}}`).join(', ');
  throw badRequest('unknown_variable', `Unknown variable {{${unknown[0]}}}: only ${list} are filled in`, { variables: unknown, known: cannedVariables });
}

/**
 * Saves a new response in the user's own set, or in the shared set (admins). The count limit is part
 * of the INSERT itself, so two saves at once cannot both slip past it.
 */
export async function createCannedResponse(deps: Deps, user: SessionUser, input: CreateCannedBody): Promise<CannedView> {
  if (input.scope === 'shared' && !can(user, 'canned:manage_shared')) throw forbidden('Only administrators manage the shared canned responses');
  assertKnownVariables(input.text);
  const t = clock(deps);
  const row: Row = { id: newId(t), ownerId: input.scope === 'shared' ? null : user.id, shortcut: input.shortcut.toLowerCase(), title: input.title, text: input.text, createdAt: t, updatedAt: t };
  const { db } = deps;
  const result = await refuseTakenShortcut(() =>
    db.insert(cannedResponses).select(
      sql`SELECT ${row.id}, ${row.ownerId}, ${row.shortcut}, ${row.title}, ${row.text}, ${t}, ${t}
          WHERE (SELECT count(*) FROM ${cannedResponses} WHERE ${inScope(row.ownerId)}) < ${CANNED_LIMITS.perScope}`,
    ).run(),
  );
  if (result.meta.changes === 0) {
    const where = row.ownerId === null ? 'The shared set' : 'Your own set';
    throw conflict('too_many_canned_responses', `${where} already holds ${CANNED_LIMITS.perScope} canned responses; delete one first`);
  }
  return toView(row);
}

/** Changes a response the user may manage: their own, or a shared one if they are an admin. */
export async function updateCannedResponse(deps: Deps, user: SessionUser, id: string, patch: PatchCannedBody): Promise<CannedView> {
  const current = await managedByUser(deps.db, user, id);
  if (patch.text !== undefined) assertKnownVariables(patch.text);
  const next: Row = {
    ...current,
    shortcut: patch.shortcut?.toLowerCase() ?? current.shortcut,
    title: patch.title ?? current.title,
    text: patch.text ?? current.text,
    updatedAt: clock(deps),
  };
  const { db } = deps;
  await refuseTakenShortcut(() =>
    db.update(cannedResponses).set({ shortcut: next.shortcut, title: next.title, text: next.text, updatedAt: next.updatedAt }).where(eq(cannedResponses.id, id)).run(),
  );
  return toView(next);
}

/** Deletes a response the user may manage. */
export async function deleteCannedResponse(db: Db, user: SessionUser, id: string): Promise<void> {
  await managedByUser(db, user, id);
  await db.delete(cannedResponses).where(eq(cannedResponses.id, id)).run();
}

/** The row if the user sees it (else 404) and may change it (else 403: employees read the shared set only). */
async function managedByUser(db: Db, user: SessionUser, id: string): Promise<Row> {
  const row = await db.select().from(cannedResponses).where(and(eq(cannedResponses.id, id), visibleTo(user))).get();
  if (!row) throw notFound('Canned response');
  if (row.ownerId === null && !can(user, 'canned:manage_shared')) throw forbidden('Only administrators manage the shared canned responses');
  return row;
}

async function refuseTakenShortcut<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const message = String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message ?? '');
    if (/UNIQUE constraint/i.test(message)) throw conflict('shortcut_taken', 'Another canned response in this set already uses that shortcut');
    throw err;
  }
}
