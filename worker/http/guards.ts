/**
 * Request guards shared by every API route: same-origin mutations, a logged-in user, and the access
 * policy. Routes call `requireUser` / `requireAllowed`; they never inspect roles themselves.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { can, type GlobalAction, type SessionUser } from '../domain/access';
import { DomainError, forbidden } from '../shared/errors';
import type { AppEnv } from '../env';
import { errorBody } from './error-responses';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a mutating request whose Origin (or Sec-Fetch-Site) says it came from another site, before
 * anything else is looked at. Hono's csrf() only checks form content types; JSON needs this too.
 */
export const sameOriginMutations: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!safeMethods.has(c.req.method) && fromOtherSite(c)) {
    return c.json(errorBody('cross_origin', 'Cross-origin requests may not change anything'), 403);
  }
  await next();
};

/**
 * Whether the browser says the request came from another site: Sec-Fetch-Site: cross-site, or an Origin
 * (the opaque "null" included) that is neither this URL's nor PUBLIC_URL's. No Origin: not a browser's
 * cross-site request (same-origin GETs and scripts send none).
 */
export function fromOtherSite(c: Context<AppEnv>): boolean {
  if (c.req.header('sec-fetch-site') === 'cross-site') return true;
  const origin = c.req.header('origin');
  if (!origin) return false;
  return origin === 'null' || ![new URL(c.req.url).origin, safeOrigin(c.env.PUBLIC_URL)].includes(origin);
}

function safeOrigin(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/** The logged-in user, or a 401. */
export function requireUser(c: Context<AppEnv>): SessionUser {
  const user = c.get('user');
  if (!user) throw new DomainError(401, 'unauthorized', 'Log in first');
  return user;
}

/** The logged-in user if the policy allows the action, else 401/403. */
export function requireAllowed(c: Context<AppEnv>, action: GlobalAction): SessionUser {
  const user = requireUser(c);
  if (!can(user, action)) throw forbidden();
  return user;
}

/**
 * CRM reads. Staff read the whole CRM; an observer only what a chat they observe shows, so a read
 * must be scoped to a chat (the domain then asks the chat gate for `chat:crm_read` on it).
 */
export function requireCrmRead(c: Context<AppEnv>, scopedToChat: boolean): SessionUser {
  const user = requireUser(c);
  if (!can(user, 'crm:view') && !scopedToChat) throw forbidden('Observers see CRM data only inside the chats they observe');
  return user;
}
