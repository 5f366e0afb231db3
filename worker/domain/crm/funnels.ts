/**
 * Sales funnels and their ordered stages. A new chat's opportunity starts in the first stage of its
 * integration's funnel, so order is meaning here: position 0 is where every deal begins.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { runBatch } from '../../data/db';
import { inJsonList, jsonEach } from '../../data/json-list';
import { funnels, funnelStages, opportunities } from '../../data/schema';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { clock, type Deps } from '../runtime';

export interface StageView {
  id: string;
  name: string;
  position: number;
}

export interface FunnelView {
  id: string;
  name: string;
  stages: StageView[];
  createdAt: number;
}

/** Every funnel with its stages in order. */
export async function listFunnels(db: Db): Promise<FunnelView[]> {
  const rows = await db.select().from(funnels).orderBy(asc(funnels.createdAt), asc(funnels.id)).all();
  const stages = rows.length ? await db.select().from(funnelStages).orderBy(asc(funnelStages.position)).all() : [];
  return rows.map((f) => ({ ...f, stages: stages.filter((s) => s.funnelId === f.id).map(({ funnelId: _, ...s }) => s) }));
}

/** One funnel with its stages, or 404. */
export async function getFunnel(db: Db, id: string): Promise<FunnelView> {
  return funnelOf(await db.batch(funnelReads(db, id)));
}

/** The reads of one funnel with its stages, to run in a batch (alone, or ahead of more reads). */
export function funnelReads(db: Db, id: string) {
  return [
    db.select().from(funnels).where(eq(funnels.id, id)),
    db.select({ id: funnelStages.id, name: funnelStages.name, position: funnelStages.position }).from(funnelStages)
      .where(eq(funnelStages.funnelId, id)).orderBy(asc(funnelStages.position)),
  ] as const;
}

/** The funnel from funnelReads' results, or 404. */
export function funnelOf([rows, stages]: readonly [(typeof funnels.$inferSelect)[], StageView[]]): FunnelView {
  const funnel = rows[0];
  if (!funnel) throw notFound('Funnel');
  return { ...funnel, stages };
}

/** Creates a funnel with its stages in the given order, in one batch. */
export async function createFunnel(deps: Deps, input: { name: string; stages: string[] }): Promise<FunnelView> {
  const t = clock(deps);
  const id = newId(t);
  const stages = input.stages.map((name, position) => ({ id: newId(t), name, position }));
  await runBatch(deps.db, [deps.db.insert(funnels).values({ id, name: input.name, createdAt: t }), insertStages(deps.db, id, stages)]);
  return { id, name: input.name, createdAt: t, stages };
}

export interface FunnelPatch {
  name?: string;
  /** The complete new order: existing stages by id (renamed if the name differs), new ones without. */
  stages?: { id?: string; name: string }[];
}

/**
 * Renames a funnel and/or rewrites its stage list. A stage left out is deleted, unless an opportunity
 * sits in it (409 stage_in_use): deals are never silently moved.
 */
export async function updateFunnel(deps: Deps, id: string, patch: FunnelPatch): Promise<FunnelView> {
  const { db } = deps;
  const funnel = await getFunnel(db, id);
  const writes: Write[] = [];
  if (patch.name !== undefined) writes.push(db.update(funnels).set({ name: patch.name }).where(eq(funnels.id, id)));
  if (patch.stages) writes.push(...(await stageWrites(deps, funnel, patch.stages)));
  await runBatch(db, writes);
  return getFunnel(db, id);
}

async function stageWrites(deps: Deps, funnel: FunnelView, wanted: { id?: string; name: string }[]): Promise<Write[]> {
  const { db } = deps;
  const keptIds = wanted.flatMap((s) => (s.id ? [s.id] : []));
  if (new Set(keptIds).size !== keptIds.length) throw badRequest('duplicate_stage', 'A stage may appear only once');
  const unknown = keptIds.filter((sid) => !funnel.stages.some((s) => s.id === sid));
  if (unknown.length) throw notFound(`Stage ${unknown[0]} in this funnel`);
  const removed = funnel.stages.filter((s) => !keptIds.includes(s.id)).map((s) => s.id);
  if (removed.length) {
    const used = await db.select({ stageId: opportunities.stageId }).from(opportunities).where(inJsonList(opportunities.stageId, removed)).limit(1).get();
    if (used) throw conflict('stage_in_use', 'A stage that still holds opportunities cannot be removed; move them first');
  }
  const t = clock(deps);
  const writes: Write[] = [];
  if (removed.length) writes.push(db.delete(funnelStages).where(inJsonList(funnelStages.id, removed)));
  // (funnel_id, position) is unique and checked per statement: park the kept stages on negative
  // positions first so the reorder never collides with itself.
  writes.push(db.update(funnelStages).set({ position: sql`-1 - ${funnelStages.position}` }).where(eq(funnelStages.funnelId, funnel.id)));
  const placed = wanted.map((s, position) => ({ id: s.id ?? newId(t), name: s.name, position, kept: !!s.id }));
  const kept = placed.filter((s) => s.kept);
  const added = placed.filter((s) => !s.kept);
  if (kept.length) {
    writes.push(db.update(funnelStages).set({ name: sql`stage.value ->> 'name'`, position: sql`stage.value ->> 'position'` })
      .from(sql`${jsonEach(kept)} AS stage`).where(sql`${funnelStages.id} = stage.value ->> 'id'`));
  }
  if (added.length) writes.push(insertStages(db, funnel.id, added));
  return writes;
}

/** The stages as one INSERT … SELECT over a JSON list: 50 stages as VALUES would bind 200 parameters. */
function insertStages(db: Db, funnelId: string, stages: StageView[]): Write {
  return db.insert(funnelStages).select(
    sql`SELECT stage.value ->> 'id', ${funnelId}, stage.value ->> 'name', stage.value ->> 'position' FROM ${jsonEach(stages)} AS stage`,
  );
}
