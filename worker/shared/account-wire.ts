/** Wire shapes of a user's own account: changing the password, listing and ending sessions. */
import { z } from '@hono/zod-openapi';

export const ChangePasswordBodySchema = z
  .object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(8).max(200) })
  .strict()
  .openapi('ChangePasswordBody');

export const SessionSchema = z
  .object({
    id: z.string().openapi({ description: 'Public id of the session (not its token)' }),
    createdAt: z.string(),
    lastSeenAt: z.string().optional(),
    current: z.boolean().openapi({ description: 'The session this request came with' }),
    userAgent: z.string().optional(),
  })
  .openapi('Session');
export type Session = z.infer<typeof SessionSchema>;

export const SessionIdParamSchema = z.object({ id: z.string().min(1).max(64) });
