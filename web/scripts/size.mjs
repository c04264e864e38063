#!/usr/bin/env node
// Prints the gzipped size of the JavaScript a browser downloads before the
// portal can start: the entry chunk of index.html and everything it imports
// statically (from dist/.vite/manifest.json). Lazily loaded chunks (the chart,
// the mailbox) are not counted. Fails above the budget.
//
// Usage: npm run build && npm run size

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');

if (!existsSync(manifestPath)) {
  console.error(`No ${manifestPath}: run "npm run build" first (build.manifest must be on).`);
  process.exit(1);
}

/** @type {Record<string, {file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error('The manifest has no entry chunk.');
  process.exit(1);
}

// Walk the static imports from every entry; each chunk counts once.
const seen = new Set();
const initial = [];
const css = new Set();
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`manifest has no chunk ${key}`);
  if (chunk.file.endsWith('.js')) initial.push(chunk.file);
  for (const file of chunk.css ?? []) css.add(file);
  for (const dep of chunk.imports ?? []) visit(dep);
}
for (const [key] of entries) visit(key);

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let total = 0;
console.log('Initial JavaScript (gzipped):');
for (const file of initial) {
  const size = gz(file);
  total += size;
  console.log(`  ${kb(size).padStart(9)}  ${file}`);
}
console.log(`  ${kb(total).padStart(9)}  total (budget ${kb(BUDGET_BYTES)})`);

let cssTotal = 0;
for (const file of css) cssTotal += gz(file);
if (css.size > 0) console.log(`Initial CSS (gzipped, not budgeted): ${kb(cssTotal)}`);

const lazy = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js') && !initial.includes(c.file))
  .map((c) => ({ file: c.file, size: gz(c.file) }));
if (lazy.length > 0) {
  console.log('Loaded later, when needed (gzipped):');
  for (const c of lazy) console.log(`  ${kb(c.size).padStart(9)}  ${c.file}`);
}

if (total > BUDGET_BYTES) {
  console.error(`Initial JavaScript is ${kb(total)}, over the ${kb(BUDGET_BYTES)} budget. Split a page or library out with React.lazy.`);
  process.exit(1);
}
