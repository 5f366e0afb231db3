/**
 * The typed API client's face: `api` gathers the endpoints, one file per capability beside this one;
 * client.ts is the fetch core they share. Reports are left out on purpose (see reports.ts).
 */
import { account, auth } from './account';
import { canned } from './canned';
import { chats } from './chats';
import { contacts, opportunities, projects, tasks } from './crm';
import { historySettings } from './history';
import { funnels, integrations } from './integrations';
import { mentions } from './mentions';
import { users } from './users';

export { ApiError, errorText, sessionEnded, setUnauthorizedHandler } from './client';

export const api = {
  ...auth,
  account,
  users,
  historySettings,
  chats,
  integrations,
  funnels,
  mentions,
  canned,
  contacts,
  opportunities,
  tasks,
  projects,
};
