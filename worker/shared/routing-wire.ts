/** Wire shapes of a manager's status and the Unassigned group's Take. */
import { z } from '@hono/zod-openapi';

export const UserStatusEnum = z.enum(['available', 'away']).openapi({ description: '`away`: the bots skip this person unless a bot assigns to everyone' });

export const StatusBodySchema = z.object({ status: UserStatusEnum }).strict();

export const UserStatusSchema = z.object({ id: z.string(), status: UserStatusEnum }).openapi('UserStatus');
export type UserStatusView = z.infer<typeof UserStatusSchema>;

export const AssignmentRuleEnum = z.enum(['everyone', 'available', 'available_online']).openapi({
  description: 'Who in the queue gets chats: `everyone` (active members), `available` (status available), `available_online` (available and with the app open)',
});
