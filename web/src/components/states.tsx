/** Shared loading / error / empty blocks so every screen shows the same states the same way. */
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';

export function Loading(props: { label?: string }) {
  return (
    <div class="state state-loading" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t('common.loading')}
    </div>
  );
}

export function ErrorBox(props: { message: string; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert" data-testid="error">
      <span>{props.message}</span>
      <Show when={props.onRetry}>
        <button type="button" class="btn btn-small" onClick={() => props.onRetry?.()}>
          {t('common.retry')}
        </button>
      </Show>
    </div>
  );
}

export function Empty(props: { children: JSX.Element }) {
  return <div class="state state-empty">{props.children}</div>;
}

/** An inline error line under a form; renders nothing when there is no error. */
export function FormError(props: { message: string | null | undefined }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}
