import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { mkdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Worker tests run inside workerd against the real D1 migrations and real Durable Objects.
// Browser tests (test/e2e) run separately against `wrangler dev` (see tools/e2e/run.mjs).
export default defineConfig(async () => {
  // wrangler.toml serves web/dist as static assets and refuses a missing directory; Worker tests do not
  // need the built UI, so a fresh clone only needs the folder to exist.
  mkdirSync('web/dist', { recursive: true });
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        main: './worker/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENCRYPTION_KEY: 'UDUdbsVcUX3hzCoHcQR8ttYyoPMci2TXTql7fRihVtY=',
            PUBLIC_URL: 'http://ponte.test',
            TELEGRAM_API_BASE: 'http://telegram.test',
            VIBER_API_BASE: 'http://viber.test',
          },
        },
      }),
    ],
    test: {
      include: ['test/{unit,integration,objects}/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
      testTimeout: 30_000,
    },
  };
});
