/**
 * Messages as every migration before 0043 found them: direction, origin and status as words and no
 * attachments as '[]', with the partial index and the two triggers that named the words. Tests of a
 * migration that ran on that layout (and of 0043 itself) put the rows the app wrote back into it first.
 */
import { env } from 'cloudflare:workers';

const words = (column: string, pairs: [string, string][]) =>
  `\`${column}\` = CASE \`${column}\` ${pairs.map(([code, word]) => `WHEN '${code}' THEN '${word}'`).join(' ')} ELSE \`${column}\` END`;

export const FORMER_MESSAGE_LAYOUT = [
  'DROP INDEX messages_external',
  'DROP TRIGGER messages_archived_dedup',
  'DROP TRIGGER report_message_insert',
  `UPDATE messages SET ${[
    words('direction', [['i', 'in'], ['o', 'out']]),
    words('origin', [['c', 'client'], ['a', 'agent'], ['g', 'greeting'], ['r', 'auto_reply'], ['s', 'csat'], ['o', 'out_of_office']]),
    words('status', [['r', 'received'], ['p', 'sending'], ['s', 'sent'], ['d', 'delivered'], ['v', 'seen'], ['f', 'failed']]),
    words('attachments', [['', '[]']]),
  ].join(', ')}`,
  `CREATE UNIQUE INDEX messages_external ON messages (chat_id, external_id) WHERE "direction" = 'in'`,
  `CREATE TRIGGER messages_archived_dedup BEFORE INSERT ON messages
   WHEN NEW.direction = 'in' AND NEW.external_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM archived_message_keys WHERE chat_id = NEW.chat_id AND external_id = NEW.external_id)
   BEGIN SELECT RAISE(IGNORE); END`,
  `CREATE TRIGGER report_message_insert AFTER INSERT ON messages BEGIN
     INSERT INTO report_feed (kind, chat_id, integration_id, user_key, at)
       SELECT CASE WHEN new.direction = 'in' THEN 'in' WHEN new.origin = 'agent' THEN 'reply' ELSE 'out' END,
         new.chat_id, c.integration_id, coalesce(new.author_id, ''), new.created_at
       FROM chats c WHERE c.id = new.chat_id;
   END`,
];

/** Puts the messages table, its rows included, back into the layout before migration 0043. */
export async function toFormerMessageLayout(): Promise<void> {
  await env.DB.batch(FORMER_MESSAGE_LAYOUT.map((s) => env.DB.prepare(s)));
}
