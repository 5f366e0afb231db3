import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { BASE, call, loginAs } from '../support/http';
import { makeUser } from '../support/factory';

/** Static files as the ASSETS binding would answer them (the built UI may not exist in a fresh clone). */
const fakeAssets = {
  fetch: async (input: RequestInfo | URL) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    if (path.endsWith('.js')) return new Response('console.log(1)', { headers: { 'content-type': 'text/javascript' } });
    // index.html, and every app route (single-page-application fallback).
    return new Response('<!doctype html><html><body><div id="root"></div></body></html>', { headers: { 'content-type': 'text/html; charset=utf-8' } });
  },
  connect: () => { throw new Error('not used'); },
} as unknown as Fetcher;

async function fetchStatic(path: string, base = BASE): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch!(new Request(base + path) as never, { ...env, ASSETS: fakeAssets } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res as unknown as Response;
}

function expectCommon(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('security headers', () => {
  for (const path of ['/', '/index.html', '/inbox/mine']) {
    it(`HTML ${path} gets a strict CSP`, async () => {
      const res = await fetchStatic(path);
      expect(res.status).toBe(200);
      expectCommon(res);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });
  }

  it('a JS asset gets nosniff (no CSP needed), and HSTS over https', async () => {
    const js = await fetchStatic('/assets/index-abc.js');
    expectCommon(js);
    expect(js.headers.get('content-security-policy')).toBeNull();
    const secure = await fetchStatic('/', 'https://ponte.example');
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('API answers: nosniff and no-store, with or without a session', async () => {
    const anonymous = await call('GET', '/api/me');
    expect(anonymous.status).toBe(401);
    expectCommon(anonymous);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const user = await makeUser('employee');
    const cookie = await loginAs(user.email, user.password);
    const me = await call('GET', '/api/me', { cookie });
    expect(me.status).toBe(200);
    expectCommon(me);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const bad = await call('GET', '/api/nope', { cookie });
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the real ASSETS binding answers through the Worker with the headers', async () => {
    const res = await call('GET', '/index.html');
    expectCommon(res);
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });
});
