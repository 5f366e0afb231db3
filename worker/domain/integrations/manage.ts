/**
 * Connecting and disconnecting bots. The token is checked with the messenger, stored only encrypted,
 * and never returned: views carry names and settings, not credentials.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { funnels, integrationQueue, integrations, type AssignmentRule } from '../../data/schema';
import { hashWebhookSecret } from '../../messengers/crypto';
import { generateWebhookSecret } from '../../messengers/registry';
import type { BusinessHours } from '../../shared/business-hours';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { insertWithFreshId } from '../../shared/ids';
import { messengerFor, openMessenger, withoutToken, type MessengerConfig } from './messenger-access';
import { encryptToken } from './token-vault';
import { scheduleFromColumn } from '../hours';
import { clock } from '../runtime';

export interface IntegrationDeps {
  db: Db;
  now?: () => number;
  messengers: MessengerConfig;
  /** Base URL the messengers call back (`{publicUrl}/webhooks/{channel}/{id}`). */
  publicUrl: string;
}

export interface IntegrationView {
  id: string;
  channel: string;
  name: string;
  enabled: boolean;
  greetingText: string;
  autoReplyText: string;
  funnelId: string | null;
  /** The round-robin order of managers. */
  queue: string[];
  /** Who in the queue gets chats: everyone, the available, or the available with the app open. */
  assignmentRule: AssignmentRule;
  /** Minutes a client may wait for a manager's reply before the chat moves on; null = never. */
  reassignAfterMinutes: number | null;
  maxOpenChatsPerManager: number | null;
  /** Business hours and the out-of-office text; null = always open. */
  businessHours: BusinessHours | null;
  /** Whether closing a chat asks the client for a rating. */
  csatEnabled: boolean;
  createdAt: number;
}

export interface ConnectInput {
  channel: string;
  token: string;
  greetingText?: string;
  autoReplyText?: string;
  funnelId?: string | null;
}

export interface IntegrationPatch {
  greetingText?: string | null;
  autoReplyText?: string | null;
  funnelId?: string | null;
  enabled?: boolean;
  assignmentRule?: AssignmentRule;
  reassignAfterMinutes?: number | null;
  maxOpenChatsPerManager?: number | null;
  /** Validated by the caller (BusinessHoursSchema); replaces the whole schedule, null = always open. */
  businessHours?: BusinessHours | null;
  csatEnabled?: boolean;
}

type Row = typeof integrations.$inferSelect;

/** Every connected (not removed) integration with its queue, oldest first. */
export async function listIntegrations(db: Db): Promise<IntegrationView[]> {
  const [rows, queue] = await Promise.all([
    db.select().from(integrations).where(isNull(integrations.removedAt)).orderBy(asc(integrations.createdAt), asc(integrations.id)).all(),
    db.select().from(integrationQueue).orderBy(asc(integrationQueue.position)).all(),
  ]);
  return rows.map((r) => toView(r, queue.filter((q) => q.integrationId === r.id).map((q) => q.userId)));
}

/** One connected integration; 404 when unknown or removed. */
export async function getIntegration(db: Db, id: string): Promise<IntegrationView> {
  const row = await liveRow(db, id);
  const queue = await db.select({ userId: integrationQueue.userId }).from(integrationQueue)
    .where(eq(integrationQueue.integrationId, id)).orderBy(asc(integrationQueue.position)).all();
  return toView(row, queue.map((q) => q.userId));
}

/**
 * Connects a bot: validates the token (400 invalid_token), names the integration after the bot, and
 * registers the webhook with a fresh secret. The row exists (enabled) before registering because Viber
 * calls the webhook back during set_webhook; if registration fails the row is rolled back. Reconnecting
 * a bot that was removed revives its integration, so its old chats continue.
 */
export async function connectIntegration(deps: IntegrationDeps, input: ConnectInput): Promise<IntegrationView> {
  const { adapter, ctx } = messengerFor(deps.messengers, input.channel, input.token);
  const bot = await adapter.getBot(ctx);
  if (!bot.ok) throw badRequest('invalid_token', `The messenger did not accept the token: ${withoutToken(bot.reason, input.token)}`);
  if (input.funnelId) await requireFunnel(deps.db, input.funnelId);

  const existing = await deps.db.select().from(integrations)
    .where(and(eq(integrations.channel, input.channel), eq(integrations.externalBotId, bot.bot.externalBotId))).get();
  if (existing && existing.removedAt === null) throw conflict('already_connected', `${existing.name} is already connected`);

  const t = clock(deps);
  const secret = generateWebhookSecret();
  const fields = {
    name: bot.bot.name, externalBotId: bot.bot.externalBotId, tokenEncrypted: await encryptToken(deps.messengers.encryptionKey, input.token),
    // Only the hash is kept: the messenger holds the secret, and we only need to recognise it.
    webhookSecret: await hashWebhookSecret(secret), greetingText: input.greetingText ?? '', autoReplyText: input.autoReplyText ?? '', funnelId: input.funnelId ?? null,
    enabled: true, removedAt: null,
  };
  const id = existing?.id ?? await insertWithFreshId(t, async (id) => (await deps.db.insert(integrations).values({ id, channel: input.channel, createdAt: t, ...fields })
    .onConflictDoNothing({ target: integrations.id }).returning({ id: integrations.id })).length === 1);
  if (existing) await deps.db.update(integrations).set(fields).where(eq(integrations.id, id));

  const url = `${deps.publicUrl.replace(/\/+$/, '')}/webhooks/${input.channel}/${id}`;
  const registered = await adapter.registerWebhook(ctx, url, secret);
  if (!registered.ok) {
    if (existing) await deps.db.update(integrations).set(existing).where(eq(integrations.id, id));
    else await deps.db.delete(integrations).where(eq(integrations.id, id));
    throw badRequest('webhook_failed', `The messenger refused the webhook: ${withoutToken(registered.reason, input.token)}`);
  }
  return getIntegration(deps.db, id);
}

/**
 * Changes the texts, the funnel, the enabled flag or the routing settings; empty / null text disables
 * that auto-message. The caller wakes the bot's queue after a routing change (a looser rule may place
 * waiting chats).
 */
export async function updateIntegration(db: Db, id: string, patch: IntegrationPatch): Promise<IntegrationView> {
  await liveRow(db, id);
  if (patch.funnelId) await requireFunnel(db, patch.funnelId);
  const set: Partial<Row> = {};
  if (patch.greetingText !== undefined) set.greetingText = patch.greetingText ?? '';
  if (patch.autoReplyText !== undefined) set.autoReplyText = patch.autoReplyText ?? '';
  if (patch.funnelId !== undefined) set.funnelId = patch.funnelId;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.assignmentRule !== undefined) set.assignmentRule = patch.assignmentRule;
  if (patch.reassignAfterMinutes !== undefined) set.reassignAfterMinutes = patch.reassignAfterMinutes;
  if (patch.maxOpenChatsPerManager !== undefined) set.maxOpenChatsPerManager = patch.maxOpenChatsPerManager;
  if (patch.businessHours !== undefined) set.businessHours = patch.businessHours ? JSON.stringify(patch.businessHours) : null;
  if (patch.csatEnabled !== undefined) set.csatEnabled = patch.csatEnabled;
  if (Object.keys(set).length) await db.update(integrations).set(set).where(eq(integrations.id, id));
  return getIntegration(db, id);
}

/**
 * Disconnects a bot: unregisters its webhook (best effort: a revoked token must not block removal),
 * forgets the token and secret, and hides the integration. Chats and history stay.
 */
export async function disconnectIntegration(deps: IntegrationDeps, id: string): Promise<{ unregistered: boolean }> {
  const row = await liveRow(deps.db, id);
  let unregistered = false;
  try {
    const { adapter, ctx } = await openMessenger(deps.messengers, row);
    const result = await adapter.unregisterWebhook(ctx);
    unregistered = result.ok;
    if (!result.ok) console.warn(`integration ${id}: webhook not unregistered: ${withoutToken(result.reason, ctx.token)}`);
  } catch (err) {
    console.warn(`integration ${id}: webhook not unregistered: ${err instanceof Error ? err.name : 'error'}`);
  }
  const t = clock(deps);
  await deps.db.update(integrations).set({ enabled: false, removedAt: t, tokenEncrypted: '', webhookSecret: '' }).where(eq(integrations.id, id));
  return { unregistered };
}

async function liveRow(db: Db, id: string): Promise<Row> {
  const row = await db.select().from(integrations).where(and(eq(integrations.id, id), isNull(integrations.removedAt))).get();
  if (!row) throw notFound('Integration');
  return row;
}

async function requireFunnel(db: Db, funnelId: string) {
  const funnel = await db.select({ id: funnels.id }).from(funnels).where(eq(funnels.id, funnelId)).get();
  if (!funnel) throw badRequest('unknown_funnel', 'No funnel with that id');
}

function toView(r: Row, queue: string[]): IntegrationView {
  return {
    id: r.id, channel: r.channel, name: r.name, enabled: r.enabled, greetingText: r.greetingText, autoReplyText: r.autoReplyText,
    funnelId: r.funnelId, queue, assignmentRule: r.assignmentRule, reassignAfterMinutes: r.reassignAfterMinutes,
    maxOpenChatsPerManager: r.maxOpenChatsPerManager, businessHours: scheduleFromColumn(r.businessHours), csatEnabled: r.csatEnabled,
    createdAt: r.createdAt,
  };
}
