/** The four people most route tests need (an admin, two employees, an observer), each logged in. */
import { makeUser } from './factory';
import { loginAs } from './http';

export type Team = Record<'admin' | 'ana' | 'bruno' | 'olga', Awaited<ReturnType<typeof makeUser>>>;
export type TeamCookies = Record<keyof Team, string>;

/** Makes the team into `people` and their sessions into `cookie` (objects a test file keeps at module scope). */
export async function makeTeam(people: Team, cookie: TeamCookies): Promise<void> {
  people.admin = await makeUser('admin');
  people.ana = await makeUser('employee', 'Ana');
  people.bruno = await makeUser('employee', 'Bruno');
  people.olga = await makeUser('observer', 'Olga');
  for (const k of Object.keys(people) as (keyof Team)[]) cookie[k] = await loginAs(people[k].email, people[k].password);
}
