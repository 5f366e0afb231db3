/** Domain rows of the CRM as the wire has them (integer ms → ISO strings), shared by the CRM route files. */
import type { ContactRelated, ContactView, OpportunityView, TaskView } from '../../domain/crm';
import { isoOrNull } from '../../shared/crm-wire';

export const contactWire = (c: ContactView) => ({ ...c, createdAt: isoOrNull(c.createdAt)!, updatedAt: isoOrNull(c.updatedAt)! });
export const opportunityWire = (o: OpportunityView) => ({
  ...o, createdAt: isoOrNull(o.createdAt)!, updatedAt: isoOrNull(o.updatedAt)!, closedAt: isoOrNull(o.closedAt), stageChangedAt: isoOrNull(o.stageChangedAt),
});
export const taskWire = (t: TaskView) => ({ ...t, dueAt: isoOrNull(t.dueAt), createdAt: isoOrNull(t.createdAt)! });

export const contactPageWire = (c: ContactView, r: ContactRelated) => ({
  ...contactWire(c),
  chats: r.chats.map((ch) => ({ ...ch, lastMessageAt: isoOrNull(ch.lastMessageAt)! })),
  opportunities: r.opportunities.map(opportunityWire),
  tasks: r.tasks.map(taskWire),
  comments: r.comments.map((m) => ({ ...m, createdAt: isoOrNull(m.createdAt)! })),
  duplicates: r.duplicates,
});
