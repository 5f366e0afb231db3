import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../../api';
import { t, type MessageKey } from '../../i18n';
import { canWrite } from '../../state/session';
import type { ChatState } from './chat-state';

type Kind = 'task' | 'project';
interface Linked {
  id: string;
  label: string;
  done?: boolean;
}

const TEXT: Record<Kind, { title: MessageKey; link: MessageKey; create: MessageKey; field: MessageKey }> = {
  task: { title: 'links.tasks', link: 'links.linkTask', create: 'links.newTask', field: 'links.taskTitle' },
  project: { title: 'links.projects', link: 'links.linkProject', create: 'links.newProject', field: 'links.projectName' },
};

/** Picks an existing task/project to link; the list is fetched when the picker opens. */
function Picker(props: { kind: Kind; exclude: string[]; onPick: (id: string) => void; onCancel: () => void }) {
  const [options] = createResource(async () => {
    const all =
      props.kind === 'task'
        ? (await api.tasks.list()).map((x) => ({ id: x.id, label: x.title }))
        : (await api.projects.list()).map((x) => ({ id: x.id, label: x.name }));
    return all.filter((o) => !props.exclude.includes(o.id));
  });
  return (
    <div class="row">
      <select
        aria-label={t(TEXT[props.kind].link)}
        disabled={options.loading}
        onChange={(e) => e.currentTarget.value && props.onPick(e.currentTarget.value)}
        data-testid={`link-${props.kind}-select`}
      >
        <option value="">{options.loading ? t('common.loading') : options.error ? t('error.generic') : t('links.pick')}</option>
        <For each={options() ?? []}>{(o) => <option value={o.id}>{o.label}</option>}</For>
      </select>
      <button type="button" class="btn btn-small" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

function LinkGroup(props: { kind: Kind; items: Linked[]; chat: ChatState }) {
  const [mode, setMode] = createSignal<'idle' | 'link' | 'create'>('idle');
  const [busy, setBusy] = createSignal(false);
  const txt = TEXT[props.kind];

  async function pick(id: string) {
    setBusy(true);
    const ok = props.kind === 'task' ? await props.chat.linkTask(id) : await props.chat.linkProject(id);
    setBusy(false);
    if (ok) setMode('idle');
  }

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget as HTMLFormElement).get('name') ?? '').trim();
    if (!v) return;
    setBusy(true);
    const ok = props.kind === 'task' ? await props.chat.createTask(v) : await props.chat.createProject(v);
    setBusy(false);
    if (ok) setMode('idle');
  }

  return (
    <div class="link-group" data-testid={`links-${props.kind}s`}>
      <h4>{t(txt.title)}</h4>
      <Show when={props.items.length} fallback={<p class="muted">{t('links.none')}</p>}>
        <ul class="plain">
          <For each={props.items}>
            {(it) => (
              <li class="link-item" data-testid={`linked-${props.kind}`}>
                <span classList={{ done: it.done }}>{it.label}</span>
                <Show when={canWrite()}>
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={`${t('links.unlink')} ${it.label}`}
                    title={t('links.unlink')}
                    onClick={() => void props.chat.unlink(props.kind, it.id)}
                    data-testid={`unlink-${props.kind}`}
                  >
                    ×
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={canWrite()}>
        <Show when={mode() === 'idle'}>
          <div class="row">
            <button type="button" class="btn btn-small" onClick={() => setMode('link')} data-testid={`link-${props.kind}`}>
              {t(txt.link)}
            </button>
            <button type="button" class="btn btn-small" onClick={() => setMode('create')} data-testid={`create-${props.kind}`}>
              + {t(txt.create)}
            </button>
          </div>
        </Show>
        <Show when={mode() === 'link'}>
          <Picker kind={props.kind} exclude={props.items.map((i) => i.id)} onPick={(id) => void pick(id)} onCancel={() => setMode('idle')} />
        </Show>
        <Show when={mode() === 'create'}>
          <form class="row" onSubmit={create}>
            <input name="name" required autofocus aria-label={t(txt.field)} placeholder={t(txt.field)} data-testid={`create-${props.kind}-input`} />
            <button type="submit" class="btn btn-small btn-primary" disabled={busy()}>
              {t('common.create')}
            </button>
            <button type="button" class="btn btn-small" onClick={() => setMode('idle')}>
              {t('common.cancel')}
            </button>
          </form>
        </Show>
      </Show>
    </div>
  );
}

export function LinksSection(props: { chat: ChatState }) {
  const links = () => props.chat.detail()?.links ?? { tasks: [], projects: [] };
  return (
    <section class="panel-section" data-testid="panel-links">
      <h3>{t('links.title')}</h3>
      <LinkGroup kind="task" chat={props.chat} items={links().tasks.map((x) => ({ id: x.id, label: x.title, done: x.done }))} />
      <LinkGroup kind="project" chat={props.chat} items={links().projects.map((x) => ({ id: x.id, label: x.name }))} />
    </section>
  );
}
