/**
 * Answers to button presses (Telegram answerCallbackQuery). Not outbox rows: a callback query can be
 * answered once and only for a short while after the press, so a retry minutes later would only fail
 * with "query is too old"; it is answered right after the webhook's response, once, and a failure is
 * logged. The rating itself is stored already, and the bot's thanks goes through the outbox.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { integrations } from '../../data/schema';
import { openMessenger, withoutToken, type MessengerConfig } from '../integrations';

/** Answers each press of one integration's update; never throws. */
export async function answerChoices(deps: { db: Db; messengers: MessengerConfig }, integrationId: string, acks: { ackId: string; text: string }[]): Promise<void> {
  if (acks.length === 0) return;
  try {
    const bot = await deps.db.select({ channel: integrations.channel, tokenEncrypted: integrations.tokenEncrypted }).from(integrations).where(eq(integrations.id, integrationId)).get();
    if (!bot) return;
    const { adapter, ctx } = await openMessenger(deps.messengers, bot);
    if (!adapter.answerChoice) return;
    for (const ack of acks) {
      const result = await adapter.answerChoice(ctx, ack.ackId, ack.text);
      if (!result.ok) console.warn('could not answer a button press', withoutToken(result.reason, ctx.token));
    }
  } catch (err) {
    console.error('answering button presses failed', String(err));
  }
}
