import { describe, expect, it } from 'vitest';
import { readBodyWithin } from '../../../worker/http/read-body';

const encoder = new TextEncoder();
const url = 'https://ponte.test/webhooks/x';

/** A body that declares no length, arriving in the given chunks; counts how many were pulled. */
function streamed(chunks: string[], { failAfter }: { failAfter?: number } = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === failAfter) return controller.error(new Error('connection reset'));
      if (pulled === chunks.length) return controller.close();
      controller.enqueue(encoder.encode(chunks[pulled++]));
    },
  });
  return { request: new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => pulled };
}

/** A body with its length declared, as a messenger's request arrives. */
const declared = (body: string, length = String(encoder.encode(body).byteLength)) => new Request(url, { method: 'POST', body, headers: { 'content-length': length } });

const text = (bytes: Awaited<ReturnType<typeof readBodyWithin>>) => {
  if (typeof bytes === 'string') throw new Error(`expected bytes, got ${bytes}`);
  return new TextDecoder().decode(bytes);
};

describe('readBodyWithin', () => {
  it('gives back a body whose length is declared, whole', async () => {
    const body = '{"update_id":1,"message":{"text":"olá"}}';
    const request = declared(body);
    expect(request.headers.get('content-length')).toBe(String(encoder.encode(body).byteLength));
    expect(text(await readBodyWithin(request, 1024))).toBe(body);
  });

  it('joins a body that streams in several chunks, byte for byte', async () => {
    const { request } = streamed(['{"a":', '"çã', 'o"}']);
    expect(request.headers.get('content-length')).toBeNull();
    expect(text(await readBodyWithin(request, 1024))).toBe('{"a":"ção"}');
  });

  it('refuses a declared length past the limit without reading, and a stream once it passes the limit', async () => {
    expect(await readBodyWithin(declared('x'.repeat(11)), 10)).toBe('too_large');
    const { request, pulled } = streamed(['x'.repeat(6), 'x'.repeat(6), 'x'.repeat(6), 'x'.repeat(6)]);
    expect(await readBodyWithin(request, 10)).toBe('too_large');
    expect(pulled()).toBeLessThan(4);
  });

  it('takes a body of exactly the limit, declared or streamed, and no body as empty', async () => {
    expect(text(await readBodyWithin(declared('x'.repeat(10)), 10))).toBe('x'.repeat(10));
    expect(text(await readBodyWithin(streamed(['x'.repeat(5), 'x'.repeat(5)]).request, 10))).toBe('x'.repeat(10));
    expect(text(await readBodyWithin(new Request(url, { method: 'POST' }), 10))).toBe('');
  });

  it('calls a body that breaks off unreadable, never throws', async () => {
    expect(await readBodyWithin(streamed(['{"a":', '1'], { failAfter: 1 }).request, 1024)).toBe('unreadable');
  });
});
