/**
 * The chat open in this tab. While the user can see it, its messages count as read the moment they
 * arrive, and new-message notifications for it are skipped.
 */
import { createSignal } from 'solid-js';

const [activeChatId, setActiveChatId] = createSignal<string | null>(null);
export { activeChatId, setActiveChatId };

export const tabVisible = () => document.visibilityState === 'visible';
/** Visible is not enough to skip a notification: the user may be working in another window. */
export const tabActive = () => tabVisible() && document.hasFocus();
