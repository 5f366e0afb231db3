import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied by `wrangler d1 migrations apply` (dev, prod) and by the
// test setup (`applyD1Migrations`), so every environment runs the same SQL.
export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/data/schema/index.ts',
  out: './migrations',
});
