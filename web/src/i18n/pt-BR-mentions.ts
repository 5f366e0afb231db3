/** Textos em português das menções (o seletor @ nos comentários, o contador no topo). */
import type { MentionsMessageKey } from './en-mentions';

export const ptBRMentions: Record<MentionsMessageKey, string> = {
  'mentions.title': 'Menções',
  'mentions.none': 'Ninguém mencionou você ainda',
  'mentions.readAll': 'Marcar todas como lidas',
  'mentions.notify': '{name} mencionou você em {client}',
  'mentions.line': '{name} · {client}',
  'mentions.pickerLabel': 'Mencionar um colega',
  'mentions.noMatch': 'Ninguém que vê esta conversa corresponde',
  'mentions.observer': 'observador',
};
