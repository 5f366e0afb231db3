/**
 * A tiny i18n: the locale is a signal (initially the browser language, then the user's choice kept
 * in localStorage), `t()` reads it so every text re-renders when the language changes, and dates go
 * through Intl in the same locale.
 */
import { createSignal } from 'solid-js';
import { createPersisted } from '../state/persisted';
import { en as enBase, type MessageKey as BaseKey } from './en';
import { enCrm, type CrmMessageKey } from './en-crm';
import { ptBR } from './pt-BR';
import { ptBRCrm } from './pt-BR-crm';
import { enSettings, type SettingsMessageKey } from './en-settings';
import { ptBRSettings } from './pt-BR-settings';
import { enToolkit, type ToolkitMessageKey } from './en-toolkit';
import { ptBRToolkit } from './pt-BR-toolkit';
import { enReplies, type RepliesMessageKey } from './en-replies';
import { ptBRReplies } from './pt-BR-replies';
import { enMentions, type MentionsMessageKey } from './en-mentions';
import { ptBRMentions } from './pt-BR-mentions';
import type { ReportsMessageKey } from './en-reports';

type MessageKey = BaseKey | CrmMessageKey | SettingsMessageKey | ToolkitMessageKey | RepliesMessageKey | MentionsMessageKey | ReportsMessageKey;
// Areas keep their strings in their own files (en-crm.ts, …) so no dictionary grows past a screen.
// A lazily loaded page's strings join later through addStrings(), so they ride in its chunk; until
// then t() falls back to the key (the page cannot render before its module has run).
const en = { ...enBase, ...enCrm, ...enSettings, ...enToolkit, ...enReplies, ...enMentions } as Record<MessageKey, string>;

export type Locale = 'en' | 'pt-BR';
export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'pt-BR', label: 'Português (Brasil)' },
];
const localePref = createPersisted('ponte.locale');
const dicts: Record<Locale, Record<MessageKey, string>> = {
  en,
  'pt-BR': { ...ptBR, ...ptBRCrm, ...ptBRSettings, ...ptBRToolkit, ...ptBRReplies, ...ptBRMentions } as Record<MessageKey, string>,
};

/** A lazy page's strings, added when its chunk loads; pt-BR must give every key English has (tsc). */
export function addStrings<K extends MessageKey>(english: Record<K, string>, portuguese: Record<K, string>) {
  Object.assign(dicts.en, english);
  Object.assign(dicts['pt-BR'], portuguese);
}

function initialLocale(): Locale {
  const saved = localePref.read();
  if (saved === 'en' || saved === 'pt-BR') return saved;
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    if (/^pt\b/i.test(l)) return 'pt-BR';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
export { locale };

export function setLocale(l: Locale) {
  setLocaleSignal(l);
  localePref.write(l);
  document.documentElement.lang = l;
}
document.documentElement.lang = locale();

export type { MessageKey };

/** Like t(), for a count: uses `key + '.one'` when the locale's plural rule says "one". */
export function tn(key: MessageKey, n: number, params?: Record<string, string | number>): string {
  const one = `${key}.one` as MessageKey;
  const useOne = new Intl.PluralRules(locale()).select(n) === 'one' && one in en;
  return t(useOne ? one : key, { n, ...params });
}

/** Translates `key`, replacing `{name}` placeholders with `params.name`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const s = dicts[locale()][key] ?? en[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
}
