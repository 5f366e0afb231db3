/**
 * What domain code reports after a durable change, for the live fan-out to turn into frames. Domain
 * functions return these; the caller hands them to `publish` (a no-op in unit tests).
 */
import type { TakenAwayReason } from '../../shared/live';

export type LiveChange =
  | { kind: 'chat_created'; chatId: string }
  | { kind: 'chat_updated'; chatId: string; reason: 'message' | 'assigned' | 'unassigned' | 'closed' | 'reopened' | 'observers' | 'tags' | 'read' | 'other' }
  | { kind: 'message'; chatId: string; messageId: string }
  | { kind: 'message_status'; chatId: string; messageId: string }
  | { kind: 'event'; chatId: string; eventId: string }
  /** The chat was taken from `userId` (not by them): their inbox frame carries `takenAway`. */
  | { kind: 'taken_away'; chatId: string; userId: string; reason: TakenAwayReason };

export type Publish = (changes: LiveChange[]) => Promise<void>;
