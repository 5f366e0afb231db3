/**
 * Contacts: the directory (staff only), a contact's page (staff, or an observer through a chat they
 * observe), editing, and merging two contacts into one.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { contactRelated, getContact, mergeContacts, readContact, searchContacts, updateContact } from '../../domain/crm';
import { ContactSchema, isoOrNull, PatchContactBodySchema } from '../../shared/crm-wire';
import {
  ContactDirectoryPageSchema, ContactDirectoryQuerySchema, ContactPageSchema, MergeContactBodySchema, MergedAwaySchema,
} from '../../shared/contact-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed, requireUser } from '../guards';
import { newRouter } from '../router';
import { contactPageWire, contactWire } from './crm-views';

export const contactRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/contacts', tags: ['crm'],
      request: { query: ContactDirectoryQuerySchema },
      responses: { 200: jsonContent(ContactDirectoryPageSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'contacts:list');
      const page = await searchContacts(c.var.deps.db, c.req.valid('query'));
      return c.json({ items: page.items.map((i) => ({ ...i, createdAt: isoOrNull(i.createdAt)!, updatedAt: isoOrNull(i.updatedAt)! })), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/contacts/{id}', tags: ['crm'],
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(z.union([ContactPageSchema, MergedAwaySchema])), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const found = await readContact(c.var.deps.db, user, c.req.valid('param').id);
      if ('mergedInto' in found) return c.json({ mergedInto: found.mergedInto }, 200);
      return c.json(contactPageWire(found, await contactRelated(c.var.deps.db, user, found.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/contacts/{id}', tags: ['crm'],
      request: { params: IdParamSchema, body: jsonBody(PatchContactBodySchema) },
      responses: { 200: jsonContent(ContactSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      requireAllowed(c, 'crm:write');
      return c.json(contactWire(await updateContact(c.var.deps, c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/contacts/{id}/merge', tags: ['crm'],
      description: "Merges otherId into this contact: its chats, opportunities, tasks and messenger identities move here, this contact's empty fields are filled from it, and it answers {mergedInto} from then on. Repeating it changes nothing (200).",
      request: { params: IdParamSchema, body: jsonBody(MergeContactBodySchema) },
      responses: { 200: jsonContent(ContactSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'contacts:merge');
      const { survivorId } = await mergeContacts(c.var.deps, user, c.req.valid('param').id, c.req.valid('json').otherId);
      return c.json(contactWire(await getContact(c.var.deps.db, survivorId)), 200);
    },
  );
