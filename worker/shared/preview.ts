/** The one-line preview shown in inbox lists: the text, or a label for media. */
export function messagePreview(text: string, attachments: unknown[] = []): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean) return clean.length > 140 ? `${clean.slice(0, 139)}…` : clean;
  const first = attachments[0] as { kind?: string } | undefined;
  return first?.kind ? `[${first.kind}]` : '';
}
