/**
 * How a chat's comment list takes in one comment. A comment being posted shows at once under a `local-`
 * id; the chat's live socket can echo the saved comment before the POST answers, and that echo replaces
 * the placeholder instead of showing the comment twice until the answer arrives.
 */
import type { Comment } from '../../api/types';

export const LOCAL_PREFIX = 'local-';

export function withComment(list: Comment[], c: Comment): Comment[] {
  if (list.some((x) => x.id === c.id)) return list;
  if (c.id.startsWith(LOCAL_PREFIX)) return [...list, c];
  const placeholder = list.findIndex((x) => x.id.startsWith(LOCAL_PREFIX) && x.authorId === c.authorId && x.text === c.text);
  return placeholder < 0 ? [...list, c] : [...list.slice(0, placeholder), ...list.slice(placeholder + 1), c];
}
