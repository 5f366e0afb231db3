/**
 * The four inbox groups, which one a chat belongs in, and which one this tab shows. The shown group is
 * kept per tab, so two tabs can watch different groups and "Clients" leads back to where each was.
 */
import { createSignal } from 'solid-js';
import type { ChatListItem, Group } from '../../api/types';
import { createPersisted } from '../persisted';
import { me } from '../session';

export const GROUPS: Group[] = ['mine', 'unassigned', 'others', 'closed'];

/** A chat always sits in exactly one group, so a live change moves it between lists without a refetch. */
export function groupOf(c: Pick<ChatListItem, 'status' | 'responsibleId'>): Group {
  if (c.status === 'closed') return 'closed';
  if (!c.responsibleId) return 'unassigned';
  return c.responsibleId === me()?.id ? 'mine' : 'others';
}

const groupPref = createPersisted('ponte.group', 'tab');
function savedGroup(): Group | null {
  const g = groupPref.read() as Group | null;
  return g && GROUPS.includes(g) ? g : null;
}

const [activeGroup, setActiveGroupSignal] = createSignal<Group>(savedGroup() ?? 'mine');
export { activeGroup };

export function setActiveGroup(g: Group) {
  setActiveGroupSignal(g);
  groupPref.write(g);
}

/** Where "Clients" leads: the last group of this tab, else My threads (observers, never responsible: Others'). */
export function inboxHome(): string {
  return `/inbox/${savedGroup() ?? (me()?.role === 'observer' ? 'others' : 'mine')}`;
}
