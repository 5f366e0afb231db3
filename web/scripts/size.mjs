// Gzipped size of the JS the browser must load before the inbox route renders: the entry chunk and
// everything it imports statically (lazy routes are dynamic imports and are not counted).
// Usage: node web/scripts/size.mjs [distDir]   (also called by vite.config.ts after each build)
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUDGET_KB = 60;

export function initialSize(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('no entry in manifest');
  const seen = new Set();
  const css = new Set();
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const c of manifest[key].css ?? []) css.add(c);
    for (const i of manifest[key].imports ?? []) walk(i);
  };
  walk(entry);
  const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const js = [...seen].map((k) => ({ file: manifest[k].file, gzip: gz(manifest[k].file) }));
  const styles = [...css].map((file) => ({ file, gzip: gz(file) }));
  const sum = (xs) => xs.reduce((n, x) => n + x.gzip, 0);
  return { js, css: styles, jsGzip: sum(js), cssGzip: sum(styles) };
}

export function reportInitialSize(dist) {
  const r = initialSize(dist);
  const kb = (n) => (n / 1024).toFixed(1) + ' KB';
  for (const f of r.js) console.log(`  ${f.file.padEnd(40)} ${kb(f.gzip)} gz`);
  console.log(`Inbox route initial JS: ${kb(r.jsGzip)} gzipped (budget ${BUDGET_KB} KB); CSS ${kb(r.cssGzip)} gzipped`);
  if (r.jsGzip > BUDGET_KB * 1024) console.warn('WARNING: initial JS is over budget');
  return r;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
  if (!existsSync(dist)) {
    console.error(`no build at ${dist}; run npm run build:web first`);
    process.exit(1);
  }
  const r = reportInitialSize(dist);
  process.exit(r.jsGzip > BUDGET_KB * 1024 ? 2 : 0);
}
