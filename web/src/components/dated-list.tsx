import { For, type JSX } from 'solid-js';
import { formatDateTime } from '../lib/format';

/**
 * A plain list of buttons, one a row, each ending with when it happened: search hits, mentions.
 * `data` names the row for tests and callers (e.g. `{'data-chat-id': id}`).
 */
export function DatedList<T extends { createdAt: string }>(props: {
  items: readonly T[];
  itemClass: string;
  testid: string;
  data: (item: T) => Record<`data-${string}`, string>;
  classList?: (item: T) => Record<string, boolean>;
  onPick: (item: T) => void;
  children: (item: T) => JSX.Element;
}) {
  return (
    <ul class="plain">
      <For each={props.items}>
        {(item) => (
          <li>
            <button type="button" class={props.itemClass} classList={props.classList?.(item)} data-testid={props.testid} {...props.data(item)} onClick={() => props.onPick(item)}>
              {props.children(item)}
              <time class="muted" dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
            </button>
          </li>
        )}
      </For>
    </ul>
  );
}
