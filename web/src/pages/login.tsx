import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { api, ApiError, errorText } from '../api';
import { LOCALES, locale, setLocale, t } from '../i18n';
import { setMe } from '../state/session';

/** Only same-app paths are accepted as the post-login destination (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/inbox';
}

/** A required login input bound to a signal. */
function LoginField(props: {
  label: string;
  type: 'email' | 'password';
  autocomplete: string;
  autofocus?: boolean;
  value: string;
  onInput: (value: string) => void;
  testid: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type={props.type}
        autocomplete={props.autocomplete}
        required
        autofocus={props.autofocus}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        data-testid={props.testid}
      />
    </label>
  );
}

/** One message for any wrong email or password; a throttled login says how long to wait. */
function loginErrorText(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return t('login.bad');
  if (err instanceof ApiError && err.status === 429) return t('login.throttled', { seconds: err.retryAfterSeconds ?? 60 });
  return errorText(err, t);
}

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api.login(email().trim(), password());
      setMe(user ?? (await api.me()));
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      setError(loginErrorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login-page">
      <form class="card login-card" onSubmit={submit} data-testid="login-form">
        <h1>{t('login.title')}</h1>
        <LoginField
          label={t('login.email')}
          type="email"
          autocomplete="username"
          autofocus
          value={email()}
          onInput={setEmail}
          testid="login-email"
        />
        <LoginField
          label={t('login.password')}
          type="password"
          autocomplete="current-password"
          value={password()}
          onInput={setPassword}
          testid="login-password"
        />
        <Show when={error()}>
          <p class="form-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="login-submit">
          {t('login.submit')}
        </button>
        <div class="login-langs">
          <For each={LOCALES}>
            {(l) => (
              <button
                type="button"
                class="link-btn"
                aria-pressed={locale() === l.id}
                onClick={() => setLocale(l.id)}
              >
                {l.label}
              </button>
            )}
          </For>
        </div>
      </form>
    </div>
  );
}
