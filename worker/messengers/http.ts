/** The one place adapters touch the network: timeouts, and turning thrown errors into values. */
import type { AdapterContext } from './types';

/** Messenger APIs answer in well under a second; a hung call should fail fast and be retried later. */
export const REQUEST_TIMEOUT_MS = 15_000;

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Headers; text: string }
  | { kind: 'network'; error: string };

/**
 * Performs one request with a timeout through the context's fetch (or the global one) and reads the body
 * as text. Never throws: network errors and timeouts come back as `{kind:'network'}`.
 */
export async function requestText(ctx: AdapterContext, url: string, init: RequestInit = {}): Promise<HttpOutcome> {
  try {
    const res = await callFetch(ctx, url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { kind: 'response', status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    return { kind: 'network', error: describeError(err) };
  }
}

/** JSON.parse that returns undefined instead of throwing (error pages from proxies are HTML). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// workerd throws "Illegal invocation" when the global fetch is called as a method of another object
// (`ctx.fetch(...)`), so always call it as a plain function.
function callFetch(ctx: AdapterContext, url: string, init: RequestInit): Promise<Response> {
  const f = ctx.fetch ?? fetch;
  return f(url, init);
}

function describeError(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  return err instanceof Error ? err.message : String(err);
}
