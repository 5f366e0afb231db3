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

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `text` around case-insensitive occurrences of `q`; odd indexes are the matches. */
export function splitMatches(text: string, q: string | undefined): string[] {
  const needle = q?.trim();
  if (!needle) return [text];
  return text.split(new RegExp(`(${escapeRe(needle)})`, 'gi'));
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
