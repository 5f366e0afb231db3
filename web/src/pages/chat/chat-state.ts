/**
 * One open chat's details and every change the UI can make to them. Simple fields change
 * optimistically and roll back (with a toast) when the server refuses; creations wait for the
 * server's object.
 */
import { createResource } from 'solid-js';
import { api, errorText } from '../../api';
import type { ChatDetails, Contact, LiveChatState, Opportunity } from '../../api/types';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { patchChat, rememberMuted, upsertChat } from '../../state/inbox';

export function createChatState(id: string) {
  const [detail, { mutate, refetch }] = createResource(() => id, api.chats.get);

  let refetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Live events change details (assignment, tags…); coalesce bursts into one refetch. */
  function refetchSoon() {
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(() => void refetch(), 300);
  }

  const fail = (e: unknown) => showToast(errorText(e, t));

  /**
   * Applies `patch` now, calls the server, and restores the previous values if it fails. Chat actions
   * answer with the whole chat (or the changed field): that answer then replaces the guess.
   */
  async function optimistic(patch: Partial<ChatDetails>, call: () => Promise<unknown>): Promise<boolean> {
    const prev = detail();
    if (!prev) return false;
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, prev[k as keyof ChatDetails]])) as Partial<ChatDetails>;
    mutate({ ...prev, ...patch });
    try {
      const answer = await call();
      if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
        const a = answer as Partial<ChatDetails>;
        if (a.id === id) mutate(a as ChatDetails);
        else if ('tags' in a || 'muted' in a) mutate((cur) => (cur ? { ...cur, ...a } : cur));
      }
      return true;
    } catch (e) {
      mutate((cur) => (cur ? { ...cur, ...before } : cur));
      fail(e);
      return false;
    }
  }

  async function setResponsible(userId: string | null) {
    const prevItem = patchChat(id, { responsibleId: userId });
    const ok = await optimistic({ responsibleId: userId }, () => api.chats.setResponsible(id, userId));
    if (!ok && prevItem) upsertChat(prevItem);
  }

  async function setStatus(closed: boolean) {
    const next = closed ? 'closed' : 'open';
    const prevItem = patchChat(id, { status: next });
    const ok = await optimistic({ status: next }, () => (closed ? api.chats.close(id) : api.chats.reopen(id)));
    if (!ok && prevItem) upsertChat(prevItem);
  }

  async function setMuted(muted: boolean) {
    rememberMuted(id, muted);
    if (!(await optimistic({ muted }, () => api.chats.setMuted(id, muted)))) rememberMuted(id, !muted);
  }

  async function updateContact(patch: Partial<Contact>): Promise<boolean> {
    const d = detail();
    if (!d) return false;
    const contact = { ...d.contact, ...patch };
    const ok = await optimistic({ contact }, async () => {
      const saved = await api.contacts.update(d.contact.id, patch);
      if (saved?.id) mutate((cur) => (cur ? { ...cur, contact: { ...cur.contact, ...saved } } : cur));
    });
    if (ok && patch.name) patchChat(id, { contact: { id: d.contact.id, name: patch.name, avatarUrl: d.contact.avatarUrl } });
    return ok;
  }

  async function createOpportunity(funnelId: string, title: string): Promise<boolean> {
    const d = detail();
    if (!d) return false;
    try {
      const o = await api.opportunities.create({ contactId: d.contact.id, funnelId, title, chatId: id });
      mutate((cur) => (cur ? { ...cur, opportunities: [...cur.opportunities.filter((x) => x.id !== o.id), o] } : cur));
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  }

  async function updateOpportunity(oppId: string, patch: Partial<Pick<Opportunity, 'stageId' | 'title' | 'amount'>>) {
    const d = detail();
    if (!d) return false;
    const opportunities = d.opportunities.map((o) => (o.id === oppId ? { ...o, ...patch } : o));
    return optimistic({ opportunities }, () => api.opportunities.update(oppId, patch));
  }

  /** Links and creations change server-side lists we do not model locally: refetch afterwards. */
  async function run(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      await refetch();
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  }

  /** A live `chat` frame: the header facts change at once; tags and the rest are refetched. */
  function applyLive(s: LiveChatState) {
    mutate((cur) =>
      cur
        ? { ...cur, status: s.status, responsibleId: s.responsibleId, observerIds: s.observerIds, lastMessageAt: s.lastMessageAt, closedAt: s.closedAt }
        : cur,
    );
  }

  return {
    id,
    detail,
    applyLive,
    refetch,
    refetchSoon,
    setResponsible,
    setObservers: (userIds: string[]) => optimistic({ observerIds: userIds }, () => api.chats.setObservers(id, userIds)),
    setTags: (tags: string[]) => optimistic({ tags }, () => api.chats.setTags(id, tags)),
    setMuted,
    close: () => setStatus(true),
    reopen: () => setStatus(false),
    updateContact,
    createOpportunity,
    updateOpportunity,
    linkTask: (taskId: string) => run(() => api.chats.link(id, { taskId })),
    linkProject: (projectId: string) => run(() => api.chats.link(id, { projectId })),
    createTask: (title: string) => run(() => api.tasks.create({ title, chatId: id })),
    createProject: (name: string) => run(() => api.projects.create({ name, chatId: id })),
    unlink: async (kind: 'task' | 'project', linkedId: string) => {
      const d = detail();
      if (!d) return false;
      const links =
        kind === 'task'
          ? { ...d.links, tasks: d.links.tasks.filter((x) => x.id !== linkedId) }
          : { ...d.links, projects: d.links.projects.filter((x) => x.id !== linkedId) };
      return optimistic({ links }, () => api.chats.unlink(id, kind, linkedId));
    },
  };
}

export type ChatState = ReturnType<typeof createChatState>;
