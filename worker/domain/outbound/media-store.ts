/**
 * Streams a downloaded file into R2 without holding it whole. R2 needs a stream's length up front: a
 * declared length goes through a FixedLengthStream (a body longer or shorter than it errors the put);
 * an undeclared one is read up to one part — stored with a plain put when it ends there, otherwise
 * uploaded in parts of exactly PART_BYTES (R2 wants equal parts but the last). Nothing is kept when
 * the download fails (a put is all or nothing; a multipart upload is aborted).
 */
import type { FetchedMedia } from '../../messengers/types';
import { asDownloadError } from '../../messengers/download';

/** R2's smallest part but the last; also the most of one file held in memory at once. */
export const PART_BYTES = 5 * 1024 * 1024;

export type StoreOutcome = { ok: true; size: number } | { ok: false; retryable: boolean; reason: string };

type Opened = Extract<FetchedMedia, { ok: true }>;

/** Writes `file` under `key`; a failed download comes back as its reason, never as a throw. */
export async function storeMedia(bucket: R2Bucket, key: string, file: Opened): Promise<StoreOutcome> {
  const options: R2PutOptions = { httpMetadata: { contentType: file.mimeType }, customMetadata: { fileName: file.fileName } };
  // The download's own error (too large, too slow) is what to record, not the put's echo of it.
  let failure: unknown;
  const reader = file.body.getReader();
  const read = () => reader.read().catch((err: unknown) => { failure = err; throw err; });
  try {
    if (file.length !== null) {
      const length = file.length;
      const fixed = new FixedLengthStream(length);
      const pumped = pump(read, fixed.writable);
      await Promise.all([bucket.put(key, fixed.readable, options), pumped]);
      return { ok: true, size: length };
    }
    return await storeUndeclared(bucket, key, read, options);
  } catch (err) {
    reader.cancel().catch(() => {});
    const error = asDownloadError(failure ?? err);
    return { ok: false, retryable: error.retryable, reason: error.message };
  }
}

type Read = () => Promise<ReadableStreamReadResult<Uint8Array>>;

async function pump(read: Read, writable: WritableStream<Uint8Array>): Promise<void> {
  const writer = writable.getWriter();
  try {
    for (let chunk = await read(); !chunk.done; chunk = await read()) await writer.write(chunk.value);
    await writer.close();
  } catch (err) {
    await writer.abort(err).catch(() => {});
    throw err;
  }
}

async function storeUndeclared(bucket: R2Bucket, key: string, read: Read, options: R2PutOptions): Promise<StoreOutcome> {
  const part = new PartBuffer();
  let ended = await part.fill(read);
  if (ended) {
    const body = part.take();
    await bucket.put(key, body, options);
    return { ok: true, size: body.byteLength };
  }
  const upload = await bucket.createMultipartUpload(key, options);
  try {
    const parts: R2UploadedPart[] = [];
    let size = 0;
    while (true) {
      const body = part.take();
      if (body.byteLength > 0 || parts.length === 0) {
        parts.push(await upload.uploadPart(parts.length + 1, body));
        size += body.byteLength;
      }
      if (ended) break;
      ended = await part.fill(read);
    }
    await upload.complete(parts);
    return { ok: true, size };
  } catch (err) {
    await upload.abort().catch(() => {});
    throw err;
  }
}

/** Collects chunks into one part of exactly PART_BYTES; what overflows starts the next part. */
class PartBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  /** Reads until the part is full (false) or the body ends (true). */
  async fill(read: Read): Promise<boolean> {
    while (this.size < PART_BYTES) {
      const chunk = await read();
      if (chunk.done) return true;
      this.chunks.push(chunk.value);
      this.size += chunk.value.byteLength;
    }
    return false;
  }

  /** The first PART_BYTES (or all, if fewer) as one array; the rest stays for the next part. */
  take(): Uint8Array {
    const length = Math.min(this.size, PART_BYTES);
    const out = new Uint8Array(length);
    let offset = 0;
    const rest: Uint8Array[] = [];
    for (const chunk of this.chunks) {
      const room = length - offset;
      if (room >= chunk.byteLength) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      } else {
        out.set(chunk.subarray(0, room), offset);
        offset += room;
        rest.push(chunk.subarray(room));
      }
    }
    this.chunks = rest;
    this.size -= length;
    return out;
  }
}
