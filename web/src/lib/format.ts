/** Locale-aware formatting of times, sizes and money, driven by the i18n locale signal. */
import { createRoot, createSignal } from 'solid-js';
import { locale, t } from '../i18n';

/** A clock that ticks every 30 s so relative times stay fresh without per-item timers. */
export const now = createRoot(() => {
  const [n, setN] = createSignal(Date.now());
  setInterval(() => setN(Date.now()), 30_000);
  return n;
});

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale() + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale(), opts)));
  return f;
}

export function formatTime(iso: string): string {
  return dtf({ hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  return dtf({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDay(iso: string): string {
  const d = new Date(iso);
  const today = new Date(now());
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return t('chat.today');
  if (d.toDateString() === yesterday.toDateString()) return t('chat.yesterday');
  return dtf({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** "5 min ago" for recent times, then a short date. */
export function formatRelative(iso: string | null | undefined): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  const diff = (then - now()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return t('time.now');
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'short' });
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(diff / 86400), 'day');
  return dtf({ day: 'numeric', month: 'short' }).format(new Date(iso));
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function formatAmount(n: number | null | undefined): string {
  if (n === null || n === undefined) return t('common.none');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(n);
}
