/**
 * Routes and the authenticated shell.
 *
 *   /login                 LoginPage
 *   /inbox/:group          inbox list (mine | unassigned | others | closed), no chat open
 *   /chats/:id             inbox list + the chat (every chat has its own URL)
 *   /archive               archive with filters (lazy chunk)
 *   /settings/:section?    users | integrations | funnels (admins), canned (staff; user menu) (lazy chunk)
 *   /account               the user's own password and sessions (lazy chunk)
 *   /contacts, /contacts/:id, /board, /tasks   the CRM, staff only (lazy chunks)
 *   /reports               figures and charts, staff only (lazy chunk; uPlot loads only there)
 *
 * Stable data-testid hooks for browser tests are listed in web/TESTIDS.md.
 */
import { A, Navigate, Route, Router, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createMemo, lazy, Match, on, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { api, setUnauthorizedHandler } from './api';
import { ConnBanner } from './components/conn-banner';
import { Loading } from './components/states';
import { Toasts } from './components/toast';
import { UserMenu } from './components/user-menu';
import { MentionsBadge } from './components/mentions-badge';
import { setMentionOpener } from './state/mentions';
import { t } from './i18n';
import { InboxLayout, InboxPlaceholder } from './pages/inbox';
import { ChatRoute } from './pages/chat/chat-page';
import { LoginPage } from './pages/login';
import { counts, inboxHome, resetInbox, setChatOpener, startInboxFeed, titleCount } from './state/inbox';
import { resetCanned } from './state/canned';
import { canWrite, checkSession, isAdmin, loadReferenceData, me, refreshUsers, setMe } from './state/session';

const ArchivePage = lazy(() => import('./pages/archive'));
const SettingsPage = lazy(() => import('./pages/settings/settings'));
const AccountPage = lazy(() => import('./pages/account'));
const ContactsPage = lazy(() => import('./pages/crm/contacts'));
const ContactPage = lazy(() => import('./pages/crm/contact'));
const BoardPage = lazy(() => import('./pages/crm/board'));
const TasksPage = lazy(() => import('./pages/crm/tasks'));
const ReportsPage = lazy(() => import('./pages/reports/reports'));

function Root(props: RouteSectionProps) {
  const navigate = useNavigate();
  const location = useLocation();
  void checkSession();

  setUnauthorizedHandler(() => {
    if (me() === null) return;
    setMe(null);
    resetInbox();
    const next = location.pathname + location.search;
    navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
  });
  setChatOpener((id) => navigate(`/chats/${id}`));
  setMentionOpener((id) => navigate(`/chats/${id}`));

  createEffect(() => {
    const n = titleCount();
    // Chats nobody has yet are everyone's business: whoever may take them sees how many wait.
    const waiting = canWrite() ? counts()?.unassigned ?? 0 : 0;
    const base = n > 0 ? `(${n}) ${t('app.name')}` : t('app.name');
    document.title = waiting > 0 ? `${base} · ${t('title.unassigned', { n: waiting })}` : base;
  });

  return (
    <Switch>
      <Match when={me() === undefined}>
        <Loading />
      </Match>
      <Match when={location.pathname === '/login'}>{props.children}</Match>
      <Match when={me() === null}>
        <Navigate href={() => `/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={me()}>
        <Shell>{props.children}</Shell>
      </Match>
    </Switch>
  );
}

const USERS_REFRESH_MS = 60_000;

/** Everything a logged-in user sees around the pages: header, banner, the live inbox feed. */
function Shell(props: { children: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();
  const inSettings = () => location.pathname.startsWith('/settings');
  const inCrm = () => /^\/(contacts|board|tasks|reports)/.test(location.pathname);
  // Keyed on the user id alone: `on` runs again whenever `me` is set, and setting one's own status sets
  // it; restarting the feed then dropped the frames between the old socket and the new one's ready
  // (the chats the status change itself placed were among them, and never reached the list).
  const userId = createMemo(() => me()?.id);
  createEffect(
    on(
      userId,
      (id) => {
        if (!id) return;
        resetCanned();
        loadReferenceData();
        startInboxFeed();
      },
    ),
  );
  onCleanup(resetInbox);
  // Others' status (available / away) shows next to their names: keep it roughly current.
  const usersTimer = setInterval(() => void refreshUsers(), USERS_REFRESH_MS);
  onCleanup(() => clearInterval(usersTimer));

  async function logout() {
    try {
      await api.logout();
    } catch {
      /* the session is going away either way */
    }
    resetInbox();
    setMe(null);
    navigate('/login', { replace: true });
  }

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <A href={inboxHome()} class="brand">
          Ponte
        </A>
        <nav class="topnav" aria-label="Main">
          <A href={inboxHome()} classList={{ active: !inSettings() && !inCrm() }} activeClass="" data-testid="nav-clients">
            {t('nav.clients')}
          </A>
          <Show when={canWrite()}>
            <A href="/contacts" activeClass="active" data-testid="nav-contacts">{t('nav.contacts')}</A>
            <A href="/board" activeClass="active" data-testid="nav-board">{t('nav.board')}</A>
            <A href="/tasks" activeClass="active" data-testid="nav-tasks">{t('nav.tasks')}</A>
            <A href="/reports" activeClass="active" data-testid="nav-reports">{t('nav.reports')}</A>
          </Show>
          <Show when={isAdmin()}>
            <A href="/settings" classList={{ active: inSettings() }} activeClass="" data-testid="nav-settings">
              {t('nav.settings')}
            </A>
          </Show>
        </nav>
        <MentionsBadge />
        <UserMenu onLogout={logout} />
      </header>
      <ConnBanner />
      <main id="main" class="main">
        {props.children}
      </main>
      <Toasts />
    </div>
  );
}

export function App() {
  return (
    <Router root={Root}>
      <Route path="/login" component={LoginPage} />
      <Route path="/" component={() => <Navigate href={inboxHome} />} />
      <Route path="/inbox" component={() => <Navigate href={inboxHome} />} />
      <Route component={InboxLayout}>
        <Route path="/inbox/:group" component={InboxPlaceholder} />
        <Route path="/chats/:id" component={ChatRoute} />
      </Route>
      <Route path="/archive" component={ArchivePage} />
      <Route path="/settings/:section?" component={SettingsPage} />
      <Route path="/account" component={AccountPage} />
      <Route path="/contacts" component={ContactsPage} />
      <Route path="/contacts/:id" component={ContactPage} />
      <Route path="/board" component={BoardPage} />
      <Route path="/tasks" component={TasksPage} />
      <Route path="/reports" component={ReportsPage} />
      <Route path="*" component={() => <Navigate href={inboxHome} />} />
    </Router>
  );
}
