/** A report as CSV: what the page shows (headline figures with the previous period, each day, each manager). */
import type { Duration, Figures, Overview } from './overview';

/** A CSV cell: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const line = (cells: (string | number | null)[]) => cells.map(cell).join(',');
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

const figureRows = (f: Figures): [string, number | null][] => [
  ['new chats', f.newChats], ['reopened', f.reopened], ['closed', f.closed], ['messages in', f.messagesIn], ['messages out', f.messagesOut], ['replies', f.replies],
  ...durationRows('first response', f.firstResponse), ...durationRows('first response (business hours)', f.firstResponseBusiness),
  ...durationRows('resolution', f.resolution), ...durationRows('unassigned wait', f.unassignedWait),
  ['CSAT ratings', f.csat.count], ['CSAT average', f.csat.average],
];
const durationRows = (name: string, d: Duration): [string, number | null][] => [
  [`${name} count`, d.count], [`${name} average (s)`, seconds(d.avgMs)], [`${name} median (s)`, seconds(d.p50Ms)], [`${name} p90 (s)`, seconds(d.p90Ms)],
];

/** The CSV text (RFC 4180, CRLF line ends). */
export function overviewCsv(r: Overview): string {
  const out: string[] = [];
  out.push(line(['metric', `${r.range.from}..${r.range.to} (${r.range.tz})`, `${r.range.previousFrom}..${r.range.previousTo}`]));
  const before = new Map(figureRows(r.previous));
  for (const [name, value] of figureRows(r.figures)) out.push(line([name, value, before.get(name) ?? null]));
  out.push(line(['open chats now', r.figures.openNow, null]));
  out.push('');
  out.push(line(['day', 'new chats', 'reopened', 'closed', 'messages in', 'messages out', 'replies', 'first response average (s)', 'first response business hours average (s)', 'resolution average (s)', 'unassigned wait average (s)']));
  const s = r.series;
  s.days.forEach((d, i) => out.push(line([d, s.newChats[i], s.reopened[i], s.closed[i], s.messagesIn[i], s.messagesOut[i], s.replies[i],
    seconds(s.firstResponseAvgMs[i]), seconds(s.firstResponseBusinessAvgMs[i]), seconds(s.resolutionAvgMs[i]), seconds(s.unassignedWaitAvgMs[i])])));
  out.push('');
  out.push(line(['manager', 'new chats', 'reopened', 'closed', 'messages in', 'replies', 'first responses', 'first response median (s)', 'first response business hours median (s)', 'resolution median (s)', 'unassigned wait median (s)', 'CSAT ratings', 'CSAT average', 'open now']));
  for (const m of r.managers) {
    out.push(line([m.name ?? (m.userId ? m.userId : '(no manager)'), m.newChats, m.reopened, m.closed, m.messagesIn, m.replies, m.firstResponse.count,
      seconds(m.firstResponse.p50Ms), seconds(m.firstResponseBusiness.p50Ms), seconds(m.resolution.p50Ms), seconds(m.unassignedWait.p50Ms), m.csat.count, m.csat.average, m.openNow]));
  }
  return out.join('\r\n') + '\r\n';
}
