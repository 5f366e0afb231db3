import { createResource, createSignal, For, Show } from 'solid-js';
import { api, errorText } from '../../api';
import type { Channel, Integration } from '../../api/types';
import { ChannelIcon } from '../../components/channel-icon';
import { ActionForm, SaveRow } from '../../components/action-form';
import { createFormAction } from '../../components/create-action';
import { Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { funnels, integrations, refreshFunnels, setIntegrations } from '../../state/session';
import { HoursEditor } from './hours-editor';
import { CsatToggle } from './csat-toggle';
import { QueueEditor } from './queue-editor';
import { RoutingEditor } from './routing-editor';

/** Options are rendered with `selected` because the funnel list may arrive after the select. */
function FunnelOptions(props: { current?: string | null }) {
  return (
    <>
      <option value="">{t('int.noFunnel')}</option>
      <For each={funnels()}>
        {(f) => (
          <option value={f.id} selected={f.id === props.current}>
            {f.name}
          </option>
        )}
      </For>
    </>
  );
}

function IntegrationCard(props: { integ: Integration }) {
  const [saved, setSaved] = createSignal(false);
  const replace = (i: Integration) => setIntegrations(integrations().map((x) => (x.id === i.id ? i : x)));

  async function toggleEnabled(enabled: boolean) {
    const prev = props.integ;
    replace({ ...prev, enabled });
    try {
      await api.integrations.update(prev.id, { enabled });
    } catch (e) {
      replace(prev);
      showToast(errorText(e, t));
    }
  }

  const save = createFormAction(
    (f) => ({
      greetingText: String(f.get('greetingText') ?? ''),
      autoReplyText: String(f.get('autoReplyText') ?? ''),
      funnelId: String(f.get('funnelId') ?? '') || null,
    }),
    async (patch) => {
      setSaved(false);
      const updated = await api.integrations.update(props.integ.id, patch);
      replace(updated?.id ? updated : { ...props.integ, ...patch });
      setSaved(true);
    },
  );

  const [confirming, setConfirming] = createSignal(false);
  async function disconnect() {
    setConfirming(false);
    try {
      await api.integrations.remove(props.integ.id);
      setIntegrations(integrations().filter((x) => x.id !== props.integ.id));
    } catch (e) {
      showToast(errorText(e, t));
    }
  }

  return (
    <li class="card integration" data-testid="integration" data-integration-id={props.integ.id}>
      <div class="row integration-head">
        <ChannelIcon channel={props.integ.channel} size={20} />
        <h2 class="grow">{props.integ.name}</h2>
        <label class="switch">
          <input
            type="checkbox"
            checked={props.integ.enabled}
            onChange={(e) => void toggleEnabled(e.currentTarget.checked)}
            data-testid="integration-enabled"
          />
          <span>{t('int.enabled')}</span>
        </label>
      </div>
      <form class="form-grid" onSubmit={save.submit}>
        <label class="field">
          <span>{t('int.greeting')}</span>
          <textarea name="greetingText" rows={2} value={props.integ.greetingText ?? ''} data-testid="integration-greeting" />
        </label>
        <label class="field">
          <span>{t('int.autoReply')}</span>
          <textarea name="autoReplyText" rows={2} value={props.integ.autoReplyText ?? ''} data-testid="integration-autoreply" />
        </label>
        <label class="field">
          <span>{t('int.funnel')}</span>
          <select name="funnelId" data-testid="integration-funnel">
            <FunnelOptions current={props.integ.funnelId} />
          </select>
        </label>
        <SaveRow action={save} saved={saved()} label={t('common.save')} testid="integration-save" primary />
      </form>
      <QueueEditor integration={props.integ} />
      <RoutingEditor integration={props.integ} />
      <HoursEditor integration={props.integ} />
      <CsatToggle integration={props.integ} />
      <div class="row end">
        <Show
          when={confirming()}
          fallback={
            <button type="button" class="btn btn-danger btn-small" onClick={() => setConfirming(true)} data-testid="integration-disconnect">
              {t('int.disconnect')}
            </button>
          }
        >
          <span role="alert">{t('int.confirmDisconnect', { name: props.integ.name })}</span>
          <button type="button" class="btn btn-danger btn-small" onClick={disconnect} data-testid="integration-disconnect-confirm">
            {t('int.disconnect')}
          </button>
          <button type="button" class="btn btn-small" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </Show>
      </div>
    </li>
  );
}

export function IntegrationsSettings() {
  const [loaded, { refetch }] = createResource(async () => {
    setIntegrations(await api.integrations.list());
    void refreshFunnels();
  });

  const connect = createFormAction(
    (f) => {
      const opt = (k: string) => String(f.get(k) ?? '').trim() || undefined;
      return {
        channel: String(f.get('channel')) as Channel,
        token: String(f.get('token')).trim(),
        greetingText: opt('greetingText'),
        autoReplyText: opt('autoReplyText'),
        funnelId: opt('funnelId'),
      };
    },
    async (integ, form) => {
      const created = await api.integrations.create(integ);
      setIntegrations([...integrations().filter((x) => x.id !== created.id), created]);
      form.reset();
    },
  );

  return (
    <section data-testid="settings-integrations">
      <h1>{t('settings.integrations')}</h1>
      <Loaded resource={loaded} retry={refetch}>
        <Show when={integrations().length} fallback={<p class="muted">{t('int.none')}</p>}>
          <ul class="plain cards">
            {/* Keyed by id: a saved change replaces the object, and the card (its forms, "Saved") must stay. */}
            <For each={integrations().map((i) => i.id)}>
              {(id) => <Show when={integrations().find((x) => x.id === id)}>{(integ) => <IntegrationCard integ={integ()} />}</Show>}
            </For>
          </ul>
        </Show>
      </Loaded>
      <ActionForm action={connect} title={t('int.connect')} button={t('int.connect')} testid="integration-form" buttonTestid="integration-connect">
        <label class="field">
          <span>{t('int.channel')}</span>
          <select name="channel" data-testid="integration-channel">
            <option value="telegram">Telegram</option>
            <option value="viber">Viber</option>
          </select>
        </label>
        <label class="field">
          <span>{t('int.token')}</span>
          <input name="token" required autocomplete="off" spellcheck={false} data-testid="integration-token" />
        </label>
        <label class="field">
          <span>{t('int.greeting')}</span>
          <textarea name="greetingText" rows={2} />
        </label>
        <label class="field">
          <span>{t('int.autoReply')}</span>
          <textarea name="autoReplyText" rows={2} />
        </label>
        <label class="field">
          <span>{t('int.funnel')}</span>
          <select name="funnelId">
            <FunnelOptions />
          </select>
        </label>
      </ActionForm>
    </section>
  );
}
