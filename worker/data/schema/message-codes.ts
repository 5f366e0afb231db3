/**
 * A message's direction, origin and status are stored as one letter each, and its attachments as ''
 * when there are none (migration 0043): at a million messages the words were ~13 bytes a message of
 * every row (issue 19). drizzle maps both ways through these column types, so the domain, the API and
 * every query built with drizzle see the words. Raw SQL names a value through `messageCode`.
 * One gap: drizzle encodes a placeholder through its column in inserts and `set()`, but not in `eq()` or
 * `inArray()` (bindIfParam leaves placeholders alone), so a template comparing one of these columns to a
 * placeholder must wrap it as `sql.param(placeholder, messages.status)` or bind the letter itself.
 */
import { sql, type SQL } from 'drizzle-orm';
import { customType } from 'drizzle-orm/sqlite-core';

export const messageDirections = ['in', 'out'] as const;
export const messageStatuses = ['received', 'sending', 'sent', 'delivered', 'seen', 'failed'] as const;
/** Who produced a message: the client, a manager, or the bot's automatic texts. */
export const messageOrigins = ['client', 'agent', 'greeting', 'auto_reply', 'csat', 'out_of_office'] as const;

export type MessageDirection = (typeof messageDirections)[number];
export type MessageStatus = (typeof messageStatuses)[number];
export type MessageOrigin = (typeof messageOrigins)[number];

/** The letters on disk. Never reuse a letter: rows keep theirs. */
export const directionCodes: Record<MessageDirection, string> = { in: 'i', out: 'o' };
export const originCodes: Record<MessageOrigin, string> = { client: 'c', agent: 'a', greeting: 'g', auto_reply: 'r', csat: 's', out_of_office: 'o' };
export const statusCodes: Record<MessageStatus, string> = { received: 'r', sending: 'p', sent: 's', delivered: 'd', seen: 'v', failed: 'f' };

const codeTables = { direction: directionCodes, origin: originCodes, status: statusCodes };
type Coded = { direction: MessageDirection; origin: MessageOrigin; status: MessageStatus };

/** `value`'s letter as an SQL literal (a literal, not a bound value: partial indexes match only literals). */
export function messageCode<C extends keyof Coded>(column: C, value: Coded[C]): SQL {
  return sql.raw(`'${(codeTables[column] as Record<string, string>)[value]}'`);
}

function codedText<W extends string>(name: string, codes: Record<W, string>) {
  const words = new Map(Object.entries(codes).map(([word, code]) => [code as string, word as W]));
  return customType<{ data: W; driverData: string }>({
    dataType: () => 'text',
    toDriver(word) {
      const code = codes[word];
      if (code === undefined) throw new TypeError(`messages.${name}: no code for ${JSON.stringify(word)}`);
      return code;
    },
    fromDriver: (code) => words.get(code) ?? (code as W),
  })(name);
}

export const directionColumn = () => codedText('direction', directionCodes);
export const originColumn = () => codedText('origin', originCodes);
export const statusColumn = () => codedText('status', statusCodes);

/** What the attachments column stores for `list`: '' (no bytes) for the usual none. For raw SQL binds too. */
export const storedAttachments = (list: readonly unknown[]): string => (list.length === 0 ? '' : JSON.stringify(list));

/** JSON array of attachments; '' for none, and '[]' (the column's default) read back the same. */
export const attachmentsColumn = () =>
  customType<{ data: unknown[]; driverData: string }>({
    dataType: () => 'text',
    toDriver: storedAttachments,
    fromDriver: (stored) => (stored === '' ? [] : (JSON.parse(stored) as unknown[])),
  })('attachments');
