/** Short-lived messages for background failures (e.g. an optimistic change that was rolled back). */
import { createSignal, For } from 'solid-js';

interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}
const [toasts, setToasts] = createSignal<Toast[]>([]);
let seq = 0;

export function showToast(text: string, kind: Toast['kind'] = 'error') {
  const id = ++seq;
  setToasts((l) => [...l.slice(-3), { id, text, kind }]);
  setTimeout(() => setToasts((l) => l.filter((x) => x.id !== id)), 6000);
}

export function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts()}>
        {(x) => (
          <div class={`toast toast-${x.kind}`} data-testid="toast">
            <span>{x.text}</span>
            <button
              type="button"
              class="icon-btn"
              aria-label="×"
              onClick={() => setToasts((l) => l.filter((y) => y.id !== x.id))}
            >
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
