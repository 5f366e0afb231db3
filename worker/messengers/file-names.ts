/** File name and MIME helpers for media whose original metadata the messenger did not keep. */

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  webm: 'video/webm',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  pdf: 'application/pdf',
  tgs: 'application/x-tgsticker',
};

/** The last path segment of a path or URL, without query string; `fallback` when there is none. */
export function baseName(pathOrUrl: string, fallback: string): string {
  let path = pathOrUrl;
  try {
    path = new URL(pathOrUrl).pathname;
  } catch {
    // Not a URL: a plain path such as Telegram's `photos/file_3.jpg`.
  }
  const name = path.split('/').pop() ?? '';
  try {
    return decodeURIComponent(name) || fallback;
  } catch {
    return name || fallback;
  }
}

/** A MIME type from the file extension, or application/octet-stream. */
export function guessMimeType(fileName: string): string {
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** The response's Content-Type without parameters, unless it is missing or uselessly generic. */
export function usableContentType(header: string | null): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type && type !== 'application/octet-stream' ? type : undefined;
}
