/**
 * Tasks: mine (or everyone's) by due date, overdue first; set the assignee and due date, tick done,
 * add one. A task's links show its contact; tasks created in a chat stay linked to it there.
 */
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, errorText } from '../../api';
import type { Task } from '../../api/types';
import { Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { now } from '../../lib/format';
import { activeUsers, canWrite } from '../../state/session';

/** <input type="datetime-local"> speaks local time without a zone; the API speaks ISO instants. */
const toLocalInput = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

export default function TasksPage() {
  const [mine, setMine] = createSignal(true);
  const [showDone, setShowDone] = createSignal(false);
  const [tasks, { refetch, mutate }] = createResource(
    () => ({ mine: mine(), done: showDone() }),
    (q) => api.tasks.list({ order: 'due', ...(q.mine ? { mine: 'true' as const } : {}), ...(q.done ? {} : { done: 'false' as const }) }),
  );

  async function change(task: Task, patch: Parameters<typeof api.tasks.update>[1]) {
    try {
      const updated = await api.tasks.update(task.id, patch);
      mutate((list) => list?.map((x) => (x.id === task.id ? updated : x)));
    } catch (e) {
      showToast(errorText(e, t), 'error');
      void refetch();
    }
  }

  async function add(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const title = String(f.get('title') ?? '').trim();
    if (!title) return;
    try {
      await api.tasks.create({ title, assigneeId: String(f.get('assigneeId') || '') || null, dueAt: fromLocalInput(String(f.get('dueAt') ?? '')) });
      form.reset();
      void refetch();
    } catch (err) {
      showToast(errorText(err, t), 'error');
    }
  }

  const overdue = (task: Task) => !task.done && !!task.dueAt && new Date(task.dueAt).getTime() < now();

  return (
    <section class="page crm-page" data-testid="tasks-page">
      <h1>{t('tasks.title')}</h1>
      <div class="filters">
        <label class="field-inline"><input type="checkbox" checked={!mine()} onChange={(e) => setMine(!e.currentTarget.checked)} data-testid="tasks-everyone" /> {t('tasks.all')}</label>
        <label class="field-inline"><input type="checkbox" checked={showDone()} onChange={(e) => setShowDone(e.currentTarget.checked)} data-testid="tasks-show-done" /> {t('tasks.showDone')}</label>
      </div>
      <Show when={canWrite()}>
        <form class="crm-inline" onSubmit={add} data-testid="task-new">
          <input name="title" class="input" placeholder={t('tasks.new')} aria-label={t('tasks.new')} />
          <select name="assigneeId" aria-label={t('tasks.assignee')}>
            <option value="">{t('tasks.unassigned')}</option>
            <For each={activeUsers()}>{(u) => <option value={u.id}>{u.name}</option>}</For>
          </select>
          <input name="dueAt" type="datetime-local" aria-label={t('tasks.due')} />
          <button class="btn btn-small" type="submit">{t('tasks.create')}</button>
        </form>
      </Show>
      <Loaded resource={tasks} retry={refetch}>
        <Show when={(tasks() ?? []).length > 0} fallback={<p class="state">{t('tasks.empty')}</p>}>
          <ul class="crm-list" data-testid="tasks-list">
            <For each={tasks()}>
              {(task) => (
                <li class="crm-row task-row" classList={{ overdue: overdue(task), done: task.done }} data-testid="task-row" data-task-id={task.id}>
                  <label class="field-inline">
                    <input type="checkbox" checked={task.done} disabled={!canWrite()} onChange={(e) => void change(task, { done: e.currentTarget.checked })} data-testid="task-done" aria-label={t('tasks.done')} />
                    <span>{task.title}</span>
                  </label>
                  <Show when={overdue(task)}><span class="badge" data-testid="task-overdue">{t('tasks.overdue')}</span></Show>
                  <select aria-label={t('tasks.assignee')} disabled={!canWrite()} onChange={(e) => void change(task, { assigneeId: e.currentTarget.value || null })}>
                    <option value="">{t('tasks.unassigned')}</option>
                    <For each={activeUsers()}>{(u) => <option value={u.id} selected={u.id === task.assigneeId}>{u.name}</option>}</For>
                  </select>
                  <input type="datetime-local" aria-label={t('tasks.due')} value={toLocalInput(task.dueAt)} disabled={!canWrite()} onChange={(e) => void change(task, { dueAt: fromLocalInput(e.currentTarget.value) })} />
                  <Show when={task.contactId}><A href={`/contacts/${task.contactId}`}>{t('tasks.contact')}</A></Show>
                  <For each={task.chatIds ?? []}>{(id) => <A href={`/chats/${id}`} data-testid="task-chat" data-chat-id={id}>{t('tasks.chat')}</A>}</For>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Loaded>
    </section>
  );
}
