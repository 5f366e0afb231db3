// Files the fakes hold: photos and documents clients "upload", and media bots send by URL.
import { randomBytes } from 'node:crypto';

// A 1×1 PNG, used when a simulated client sends a photo without picking one.
export const DEFAULT_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const EXT_BY_MIME = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf', 'video/mp4': 'mp4', 'audio/ogg': 'oga', 'text/plain': 'txt' };

/**
 * Stores bytes as a Telegram-style file of `bot` and returns it: {fileId, uniqueId, path, bytes, mimeType,
 * fileName}. `kind` picks the folder (photos/ or documents/) and the file_id prefix real ids have.
 */
export function storeFile(bot, kind, { bytes, mimeType, fileName }) {
  const n = bot.nextFileNumber++;
  const mime = mimeType || 'application/octet-stream';
  const ext = (fileName?.includes('.') ? fileName.split('.').pop() : EXT_BY_MIME[mime]) ?? 'bin';
  const file = {
    fileId: `${kind === 'photo' ? 'AgACAgQAAxkBAA' : 'BQACAgQAAxkBAA'}${randomBytes(24).toString('base64url')}`,
    uniqueId: `AQAD${randomBytes(9).toString('base64url')}`,
    path: `${kind === 'photo' ? 'photos' : 'documents'}/file_${n}.${ext}`,
    bytes,
    mimeType: mime,
    fileName: fileName ?? `file_${n}.${ext}`,
  };
  bot.files.set(file.fileId, file);
  return file;
}

/** The file of `bot` stored under a download path, if any. */
export function fileByPath(bot, path) {
  for (const file of bot.files.values()) if (file.path === path) return file;
  return undefined;
}

/**
 * What a simulated client attached: `true` (a default photo) or {base64 | text, mimeType?, fileName?}.
 * Returns {bytes, mimeType, fileName}.
 */
export function attachmentBytes(spec, fallbackMime) {
  if (spec === true) return { bytes: DEFAULT_PHOTO, mimeType: 'image/png', fileName: 'photo.png' };
  const bytes = typeof spec.base64 === 'string' ? Buffer.from(spec.base64, 'base64') : Buffer.from(String(spec.text ?? ''), 'utf8');
  return { bytes, mimeType: spec.mimeType ?? fallbackMime, fileName: spec.fileName };
}

/** Downloads a URL a bot asked the messenger to send (as the real service does). Null on failure. */
export async function downloadUrl(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() || '') || undefined;
    return { bytes: Buffer.from(await res.arrayBuffer()), mimeType: res.headers.get('content-type')?.split(';')[0] ?? undefined, fileName };
  } catch {
    return null;
  }
}
