/**
 * The inbox, as the pages see it: the group lists and counts (lists.ts), which group and chat this tab
 * shows (group.ts, open-chat.ts), notifications and the title count (notifications.ts), and the live
 * feed that keeps them current (feed.ts).
 */
export { activeGroup, groupOf, GROUPS, inboxHome, setActiveGroup } from './group';
export { activeChatId, setActiveChatId, tabVisible } from './focused-chat';
export { counts, lists, loadGroup, markChatRead, patchChat, removeChat, upsertChat } from './lists';
export { rememberMuted, setChatOpener, titleCount } from './notifications';
export { applyInboxFrame, onInboxFrame, resetInbox, startInboxFeed } from './feed';
