/** The BotQueue's state and the shapes of what waits on it. */
import type { RotationCursor, RotationRead } from '../domain/routing';

/** One "who gets this chat" answer, in the order the object handed them out. */
export interface QueueDecision {
  seq: number;
  userId: string | null;
  /** Which snapshot of the queue the decision was made from (requests waiting together share one). */
  read: number;
  at: number;
}

export interface Waiter {
  chatKey?: string;
  /** A reopened chat's previous manager: they get it back if the bot's rule lets them take chats. */
  prefer?: string;
  /** The queue as the caller read it (a new chat's webhook reads it with the client's missing chat). */
  given?: RotationRead;
  resolve: (userId: string | null) => void;
  reject: (err: unknown) => void;
}

export interface Sweep {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface Stored {
  cursor: RotationCursor | null;
  seq: number;
  /** Which bot this object decides for (the alarm has no caller to say so). */
  integrationId?: string;
  /** The bot's reply timer as last read from D1, so a client message costs no read when it is off. */
  reassignAfterMinutes?: number | null;
}
