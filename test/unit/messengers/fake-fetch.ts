/** A scripted stand-in for fetch: records each request and answers from a queue of responses. */

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

type Reply = Response | Error | ((call: RecordedCall) => Response);

/** Returns a fetch that answers with `replies` in order, plus the list of calls it received. */
export function scriptedFetch(...replies: Reply[]): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const call = { url: req.url, method: req.method, headers: req.headers, body: await req.text() };
    calls.push(call);
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`unexpected request to ${call.url}`);
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(call) : reply;
  };
  return { fetch: fakeFetch as typeof fetch, calls };
}

/** A JSON response with the given status, body sent verbatim (so 64-bit numbers stay bare). */
export function jsonResponse(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/json' } });
}
