/** English strings of mentions (the @ picker in comments, the topbar badge); merged by the i18n index. */
export const enMentions = {
  'mentions.title': 'Mentions',
  'mentions.none': 'Nobody has mentioned you yet',
  'mentions.readAll': 'Mark all read',
  'mentions.notify': '{name} mentioned you in {client}',
  'mentions.line': '{name} · {client}',
  'mentions.pickerLabel': 'Mention a colleague',
  'mentions.noMatch': 'Nobody who can see this chat matches',
  'mentions.observer': 'observer',
} as const;
export type MentionsMessageKey = keyof typeof enMentions;
