#!/usr/bin/env node
/**
 * Lists runtime import cycles among worker/ modules (strongly connected groups of files that import
 * each other, `import type` / `export type` and all-`type` specifier lists ignored, since those vanish
 * at build time). A cycle makes module initialisation order matter; exits 1 when any is found.
 * Usage: node tools/import-cycles.mjs [root=worker]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'worker');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
})(root);

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const STATEMENT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const edges = new Map();
for (const file of files) {
  const src = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const m of src.matchAll(STATEMENT)) {
    const spec = m[4] ?? m[5];
    if (!spec.startsWith('.')) continue;
    if (m[2]) continue; // import type / export type
    const clause = (m[3] ?? '').trim();
    const braces = clause.match(/^\{([\s\S]*)\}$/);
    if (braces && braces[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '))) continue;
    const target = resolveImport(file, spec);
    if (target) targets.add(target);
  }
  edges.set(file, [...targets]);
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [], onStack = new Set(), idx = new Map(), low = new Map(), groups = [];
function connect(v) {
  idx.set(v, index); low.set(v, index); index++; stack.push(v); onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const group = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); group.push(w); } while (w !== v);
    if (group.length > 1 || (edges.get(v) ?? []).includes(v)) groups.push(group);
  }
}
for (const f of files) if (!idx.has(f)) connect(f);

const rel = (f) => relative(process.cwd(), f);
for (const group of groups) {
  const members = new Set(group);
  console.log(`cycle (${group.length} files):`);
  for (const f of group.sort()) console.log(`  ${rel(f)} -> ${(edges.get(f) ?? []).filter((t) => members.has(t)).map(rel).join(', ')}`);
}
console.log(groups.length ? `${groups.length} runtime import cycle(s) under ${rel(root) || '.'}` : `no runtime import cycles under ${rel(root) || '.'}`);
process.exit(groups.length ? 1 : 0);
