/**
 * My mentions: the badge count and the newest ones, kept current by the inbox feed's `mentions` frames
 * (only mine reach me) and refetched whenever the feed (re)connects, since those frames are not replayed.
 */
import { createSignal } from 'solid-js';
import { api } from '../api';
import type { Mention } from '../../../worker/shared/mention-wire';
import { t } from '../i18n';
import { notify } from '../lib/notify';

const [unreadMentions, setUnread] = createSignal(0);
const [mentionList, setMentionList] = createSignal<Mention[]>([]);
/** The mention that just arrived, shown as a notice by the badge until opened or dismissed. */
const [freshMention, setFreshMention] = createSignal<Mention | null>(null);
export { freshMention, mentionList, setFreshMention, unreadMentions };

let openChat: (id: string) => void = () => {};
/** The router lives in the app; a mention notification asks it to open the chat. */
export function setMentionOpener(fn: (id: string) => void) {
  openChat = fn;
}

export async function loadMentions() {
  try {
    const page = await api.mentions.mine();
    setMentionList(page.items);
    setUnread(page.unread);
  } catch {
    /* the next frame or reconnect tries again */
  }
}

/** A `mentions` frame of the inbox feed. */
export function applyMentionsFrame(f: { unread: number; mention: Mention | null }) {
  setUnread(f.unread);
  if (!f.mention) return void loadMentions();
  const m = f.mention;
  setMentionList((l) => [m, ...l.filter((x) => x.id !== m.id)].slice(0, 20));
  setFreshMention(m);
  notify(t('mentions.notify', { name: m.authorName, client: m.contactName }), m.text, `mention:${m.id}`, () => openChat(m.chatId));
}

/** Marks mentions read (all, or one chat's) and takes the server's count. */
export async function readMentions(which: { chatId?: string } = {}) {
  try {
    setUnread((await api.mentions.read(which)).unread);
    void loadMentions();
  } catch {
    /* the badge stays until the next read */
  }
}

export function resetMentions() {
  setFreshMention(null);
  setUnread(0);
  setMentionList([]);
}
