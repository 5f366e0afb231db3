import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import { FormError } from './states';

/** A settings card form run by a createFormAction: title, fields, the inline error, the submit button. */
export function ActionForm(props: {
  action: { submit: (e: SubmitEvent) => void; error: () => string | null; busy: () => boolean };
  title: string;
  button: string;
  testid: string;
  buttonTestid: string;
  children: JSX.Element;
}) {
  return (
    <form class="card form-grid" onSubmit={(e) => props.action.submit(e)} data-testid={props.testid}>
      <h2>{props.title}</h2>
      {props.children}
      <FormError message={props.action.error()} />
      <button type="submit" class="btn btn-primary" disabled={props.action.busy()} data-testid={props.buttonTestid}>
        {props.button}
      </button>
    </form>
  );
}

/** The foot of an inline settings form: its error, the submit button, and "Saved" once it has saved. */
export function SaveRow(props: {
  action: { error: () => string | null; busy: () => boolean };
  saved: boolean;
  label: string;
  testid: string;
  primary?: boolean;
}) {
  return (
    <>
      <FormError message={props.action.error()} />
      <div class="row">
        <button type="submit" class="btn btn-small" classList={{ 'btn-primary': props.primary }} disabled={props.action.busy()} data-testid={props.testid}>
          {props.label}
        </button>
        <Show when={props.saved}>
          <span class="muted">{t('common.saved')}</span>
        </Show>
      </div>
    </>
  );
}
