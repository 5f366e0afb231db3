/**
 * Renders message text safely: only text nodes, <a> for http(s) URLs, and <mark> for search hits.
 * Never innerHTML: a message is whatever a stranger typed into a messenger.
 */
import { For, type JSX } from 'solid-js';

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'")\]}]+$/;

export interface Piece {
  text: string;
  href?: string;
}

/** Splits text into plain pieces and http(s) link pieces; trailing punctuation stays outside links. */
export function splitLinks(text: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    const start = m.index ?? 0;
    // Keep a closing paren that balances one inside the URL (wikipedia-style links).
    const trail = url.match(TRAILING)?.[0] ?? '';
    if (trail) {
      let cut = trail.length;
      if (trail.startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.slice(0, -trail.length).match(/\)/g)?.length ?? 0))
        cut -= 1;
      url = url.slice(0, url.length - cut);
    }
    let href: string | undefined;
    try {
      const u = new URL(url);
      if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
    } catch {
      href = undefined;
    }
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push(href ? { text: url, href } : { text: url });
    last = start + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Lower-case without accents, so "ola" finds "Olá" the way the server's search does. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Splits `text` around accent- and case-insensitive occurrences of `q`; odd indexes are the matches. */
export function splitMatches(text: string, q: string | undefined): string[] {
  const needle = fold(q?.trim() ?? '');
  if (!needle) return [text];
  // Fold char by char, remembering where each folded char came from, to cut the original text.
  let folded = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const f = fold(text[i]);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
  }
  const parts: string[] = [];
  let last = 0;
  for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
    const start = origin[at];
    const end = origin[at + needle.length - 1] + 1;
    if (start < last) continue;
    parts.push(text.slice(last, start), text.slice(start, end));
    last = end;
  }
  parts.push(text.slice(last));
  return parts;
}

function Highlighted(props: { text: string; q?: string }): JSX.Element {
  return (
    <For each={splitMatches(props.text, props.q)}>{(part, i) => (i() % 2 ? <mark>{part}</mark> : part)}</For>
  );
}

export function RichText(props: { text: string; highlight?: string }): JSX.Element {
  return (
    <For each={splitLinks(props.text)}>
      {(p) =>
        p.href ? (
          <a href={p.href} target="_blank" rel="noopener noreferrer">
            <Highlighted text={p.text} q={props.highlight} />
          </a>
        ) : (
          <Highlighted text={p.text} q={props.highlight} />
        )
      }
    </For>
  );
}

export { Highlighted };
