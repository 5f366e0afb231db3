/**
 * The submit pattern of the settings forms: a busy flag (disables the button), an inline error
 * (cleared on each try, set from the failure), and the try/catch around the request.
 */
import { createSignal } from 'solid-js';
import { errorText } from '../api/client';
import { t } from '../i18n';

/** Wraps `send` so that each run sets `busy` while it goes and `error` when it fails. */
export function createAction<A extends unknown[]>(send: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  async function run(...args: A) {
    setBusy(true);
    setError(null);
    try {
      await send(...args);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

/**
 * A form's onSubmit as an action: `read` turns the FormData into what to send (null or undefined:
 * nothing to send, the form stays as it is); `send` gets it and the form (to reset it when done).
 */
export function createFormAction<V>(
  read: (f: FormData) => V | null | undefined,
  send: (value: V, form: HTMLFormElement) => Promise<unknown>,
) {
  const action = createAction(send);
  function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const value = read(new FormData(form));
    if (value != null) void action.run(value, form);
  }
  return { ...action, submit };
}
