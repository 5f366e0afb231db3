/** The items a chat's timeline holds, and the pure steps the timeline store takes on them. */
import type { TimelineEntry as TimelineItem, TimelineMessage } from '../../api/types';
import { me } from '../../state/session';

/** A timeline message plus client-side bookkeeping. */
export type LocalMessage = TimelineMessage & {
  /** set while the message exists only on this client (POST not answered yet, or it failed) */
  local?: boolean;
  /** a failed message the user already retried (hide its Retry button) */
  retried?: boolean;
};
export type Item = TimelineItem | LocalMessage;

const time = (i: Item) => Date.parse(i.createdAt) || 0;
let tmpSeq = 0;

/** Puts a new item into `items` (oldest first) after every item not newer than it. */
export function placeByTime(items: Item[], item: Item) {
  let at = items.length;
  while (at > 0 && time(items[at - 1]) > time(item)) at--;
  items.splice(at, 0, item);
}

/**
 * Gives a row the fields of its newer copy without replacing the row: the list keys its views by
 * row, so a new object would rebuild the message's view and drop what the manager has open on it
 * (an edit being typed, a delete being confirmed) whenever a live frame about it arrives.
 */
export function replaceFields(row: Item, next: Item) {
  const target = row as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in next)) delete target[key];
  Object.assign(target, next);
}

/** The optimistic copy of a reply (and its file) shown while it is being sent, under a local id. */
export function localMessage(text: string, file?: File): LocalMessage {
  return {
    kind: 'message',
    id: `local-${++tmpSeq}`,
    direction: 'out',
    origin: 'agent',
    editedAt: null,
    deletedAt: null,
    pendingChange: null,
    changeError: null,
    authorId: me()?.id ?? null,
    text,
    attachments: file
      ? [{ kind: file.type.startsWith('image/') ? 'photo' : 'document', url: URL.createObjectURL(file), name: file.name, mimeType: file.type, size: file.size }]
      : [],
    status: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
    local: true,
  };
}
