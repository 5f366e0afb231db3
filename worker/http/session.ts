/** Resolves the session cookie to a user for every /api request; sets and clears the cookie. */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { userForSession } from '../domain/accounts';
import type { AppEnv } from '../env';

export const SESSION_COOKIE = 'ponte_session';

/**
 * GET /api/me shows the user's availability status, which an administrator may have just changed (the
 * queue screen): it reads the session as it is now, not as this isolate last saw it. So does opening a
 * live socket: the live objects trust a new socket's viewer until their next re-check (up to 60 s for
 * the inbox feed), which would stretch a cached session's 10 s far past it.
 */
const FRESH_SESSION_PATHS = new Set(['/api/me']);
const needsFreshSession = (c: Context<AppEnv>) => FRESH_SESSION_PATHS.has(c.req.path) || c.req.header('upgrade')?.toLowerCase() === 'websocket';

export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const fresh = needsFreshSession(c);
  c.set('user', token ? await userForSession(c.var.deps.db, token, Date.now(), (work) => c.executionCtx.waitUntil(work), { fresh }) : null);
  await next();
};

/** HttpOnly, SameSite=Lax; Secure everywhere but plain-http localhost development. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export function sessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
