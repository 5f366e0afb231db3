import { describe, expect, it } from 'vitest';
import { readBodyWithin } from '../../../worker/http/read-body';

const encoder = new TextEncoder();

/** A body that declares no length, arriving in the given chunks; counts how many were pulled. */
function streamed(chunks: string[]) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks.length) return controller.close();
      controller.enqueue(encoder.encode(chunks[pulled++]));
    },
  });
  return { request: new Request('https://ponte.test/webhooks/x', { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => pulled };
}

describe('readBodyWithin', () => {
  it('gives back a declared body whole', async () => {
    const text = '{"update_id":1,"message":{"text":"olá"}}';
    const bytes = await readBodyWithin(new Request('https://ponte.test/', { method: 'POST', body: text }), 1024);
    expect(new TextDecoder().decode(bytes!)).toBe(text);
  });

  it('joins a body that streams in several chunks, byte for byte', async () => {
    const { request } = streamed(['{"a":', '"çã', 'o"}']);
    expect(new TextDecoder().decode((await readBodyWithin(request, 1024))!)).toBe('{"a":"ção"}');
  });

  it('refuses a body past the limit, declared or streamed, and stops reading a stream there', async () => {
    expect(await readBodyWithin(new Request('https://ponte.test/', { method: 'POST', body: 'x'.repeat(11) }), 10)).toBeNull();
    const { request, pulled } = streamed(['x'.repeat(6), 'x'.repeat(6), 'x'.repeat(6), 'x'.repeat(6)]);
    expect(await readBodyWithin(request, 10)).toBeNull();
    expect(pulled()).toBeLessThan(4);
  });

  it('takes a body of exactly the limit, and no body as empty', async () => {
    expect((await readBodyWithin(streamed(['x'.repeat(5), 'x'.repeat(5)]).request, 10))!.byteLength).toBe(10);
    expect((await readBodyWithin(new Request('https://ponte.test/', { method: 'POST' }), 10))!.byteLength).toBe(0);
  });
});
