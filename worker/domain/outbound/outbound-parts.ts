/** What one stored message becomes on the wire: files first, then its text in pieces the messenger takes. */
import { attachmentsOf, outboundMediaKind } from '../../data/attachments';
import { splitText } from '../../messengers/split-text';
import type { OutboundContent } from '../../messengers/types';

/** The shortest caption limit among our messengers (Viber picture text); longer texts go as their own sends. */
const CAPTION_MAX = 768;

/**
 * What one message becomes on the wire, in order: each stored file (a photo carries a short text as its
 * caption), then the text split at the messenger's limit.
 */
export async function outboundParts(row: { text: string; attachments: unknown }, maxTextLength: number, mediaUrl: (key: string) => Promise<string>): Promise<OutboundContent[]> {
  const files = attachmentsOf(row.attachments).filter((a) => a.key);
  const text = row.text.trim();
  const parts: OutboundContent[] = [];
  let captioned = false;
  for (const [i, a] of files.entries()) {
    const mimeType = a.mimeType ?? 'application/octet-stream';
    const mediaKind = a.kind === 'photo' || a.kind === 'document' ? a.kind : outboundMediaKind(mimeType);
    const part: OutboundContent = { kind: 'media', mediaKind, url: await mediaUrl(a.key!), fileName: a.fileName ?? 'file', mimeType, size: a.size ?? 0 };
    if (i === 0 && mediaKind === 'photo' && text && text.length <= CAPTION_MAX) {
      part.caption = text;
      captioned = true;
    }
    parts.push(part);
  }
  if (text && !captioned) for (const piece of splitText(text, maxTextLength)) parts.push({ kind: 'text', text: piece });
  return parts;
}
