import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { validationHook } from './error-responses';

/** Every route file makes its router here, so all validate the same way and land in the OpenAPI doc. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}
