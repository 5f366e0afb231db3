/** Shared loading / error / empty blocks so every screen shows the same states the same way. */
import { Match, Show, Switch, type JSX, type Resource } from 'solid-js';
import { errorText } from '../api/client';
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

/**
 * What a createResource load shows: the spinner while it (re)loads, the error with Retry when it
 * failed, the children once it is done. The children read the loaded data from wherever the
 * fetcher put it; the resource is used for its state only (so no Suspense is involved).
 */
export function Loaded(props: { resource: Resource<unknown>; retry: () => void; children: JSX.Element }) {
  return (
    <Switch>
      <Match when={props.resource.loading}>
        <Loading />
      </Match>
      <Match when={props.resource.error !== undefined}>
        <ErrorBox message={errorText(props.resource.error, t)} onRetry={props.retry} />
      </Match>
      <Match when={props.resource.state === 'ready'}>{props.children}</Match>
    </Switch>
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
