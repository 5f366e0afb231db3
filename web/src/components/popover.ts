/** Closes a popup on outside click or Escape (returning focus to its trigger). */
import { onCleanup } from 'solid-js';

export function dismissable(root: () => HTMLElement | undefined, close: () => void, trigger?: () => HTMLElement | undefined) {
  const onDown = (e: PointerEvent) => {
    const r = root();
    const tr = trigger?.();
    if (r && !r.contains(e.target as Node) && !(tr && tr.contains(e.target as Node))) close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      trigger?.()?.focus();
    }
  };
  document.addEventListener('pointerdown', onDown, true);
  document.addEventListener('keydown', onKey, true);
  onCleanup(() => {
    document.removeEventListener('pointerdown', onDown, true);
    document.removeEventListener('keydown', onKey, true);
  });
}
