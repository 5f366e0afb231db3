import { and, eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats } from '../../data/schema';

/**
 * Someone is opening this chat's live room: its changes reach the room from now on (chats.room_opened).
 * A write only the first time; a chat that does not exist changes nothing.
 */
export async function markRoomOpened(db: Db, chatId: string): Promise<void> {
  await db.update(chats).set({ roomOpened: true }).where(and(eq(chats.id, chatId), eq(chats.roomOpened, false)));
}
