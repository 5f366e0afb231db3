#!/usr/bin/env node
/**
 * The production build, checked without a Cloudflare account: `wrangler deploy --dry-run` bundles the
 * Worker exactly as `npm run deploy` would (same wrangler.toml, same esbuild) into a scratch folder,
 * and this script fails when that build fails or when the bundle, gzipped, is over the Workers Free
 * plan's limit of 3 MiB (the limit applies to the compressed upload; source maps are not uploaded
 * unless `upload_source_maps` is set, so they are not counted).
 *
 * The UI (web/dist) is static assets, uploaded apart from the Worker and not part of this limit; the
 * dry run only needs the folder to exist, so a fresh clone does not have to build the UI first.
 *
 *   node tools/check-bundle.mjs    (npm run check:bundle; part of npm test)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT = 3 * 1024 * 1024; // Workers Free: 3 MiB after compression (Paid: 10 MiB)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kib = (n) => (n / 1024).toFixed(1);

mkdirSync(path.join(root, 'web/dist'), { recursive: true });
const outdir = mkdtempSync(path.join(os.tmpdir(), 'ponte-bundle-'));
try {
  const args = ['wrangler', 'deploy', '--dry-run', '--outdir', outdir];
  const run = spawnSync('npx', args, { cwd: root, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    console.error(`check-bundle: \`npx ${args.join(' ')}\` failed: the Worker does not build for production`);
    process.exitCode = 1;
  } else {
    // Every module the upload would carry (index.js, plus any .wasm/.bin/text modules), not the map.
    const modules = readdirSync(outdir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.map') && e.name !== 'README.md')
      .map((e) => path.join(e.parentPath ?? e.path, e.name));
    if (modules.length === 0) throw new Error(`check-bundle: the dry run wrote no Worker module into ${outdir}`);
    // As wrangler's own "Total Upload … gzip:" figure: the modules one after the other, default level.
    const all = Buffer.concat(modules.map((file) => readFileSync(file)));
    const raw = all.length;
    const gzipped = gzipSync(all).length;
    const line = `Worker bundle: ${kib(gzipped)} KiB gzipped (${kib(raw)} KiB raw, ${modules.length} module${modules.length === 1 ? '' : 's'}); limit 3 MiB (${kib(LIMIT)} KiB)`;
    if (gzipped > LIMIT) {
      console.error(`check-bundle: over the limit. ${line}`);
      process.exitCode = 1;
    } else {
      console.log(`check-bundle: ${line}`);
    }
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
