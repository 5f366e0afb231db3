/**
 * Wire shapes shared by the Worker (validation + OpenAPI) and the web UI (types only). One definition
 * per shape; routes import the schema, web/ imports the inferred type.
 */
import { z } from '@hono/zod-openapi';

export const RoleSchema = z.enum(['admin', 'employee', 'observer']);

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export const UserSchema = z
  .object({
    id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, active: z.boolean().optional(),
    status: z.enum(['available', 'away']).optional().openapi({ description: 'The person\'s status (GET /api/me and the users list)' }),
    online: z.boolean().optional().openapi({ description: 'Has the app open (a live socket); in the users list' }),
  })
  .openapi('User');
export type User = z.infer<typeof UserSchema>;

export const LoginBodySchema = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) });
export const CreateUserBodySchema = z.object({
  email: z.string().email().max(254),
  name: z.string().trim().min(1).max(120),
  role: RoleSchema,
  password: z.string().min(8).max(200),
});
export const PatchUserBodySchema = z
  .object({ name: z.string().trim().min(1).max(120).optional(), role: RoleSchema.optional(), active: z.boolean().optional(), password: z.string().min(8).max(200).optional() })
  .strict();

export const IdParamSchema = z.object({ id: z.string().min(1).max(64) });

/** Standard error responses for route docs. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]));
}

export function jsonContent<T extends z.ZodTypeAny>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}
