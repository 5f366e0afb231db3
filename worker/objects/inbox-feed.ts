import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

// Bound in wrangler.toml; its behaviour lands with its own issue.
export class InboxFeed extends DurableObject<Env> {}
