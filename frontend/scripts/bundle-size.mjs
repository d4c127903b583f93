#!/usr/bin/env node
// Prints the gzipped size of what a participant's phone downloads on first load: index.html and
// every script, module preload and stylesheet it references, plus their static imports (not the
// dynamic ones: staff screens load on demand). Fails when the total exceeds the budget.
//
// Usage: node scripts/bundle-size.mjs [dist-dir]   (after `npm run build`)
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// 150 KB gzipped keeps the first load under ~4 s on a congested 3G link (≈ 300 kbit/s usable).
const BUDGET_BYTES = 150 * 1024;

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.error(`${indexPath} not found: run \`npm run build\` first`);
  process.exit(2);
}

const html = readFileSync(indexPath, 'utf8');
const referenced = new Set();
for (const match of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"[^>]*>/g)) {
  const tag = match[0];
  const url = match[1];
  if (/rel="(?:icon|apple-touch-icon|manifest)"/.test(tag)) continue; // not on the critical path
  if (/^(?:[a-z]+:)?\/\//i.test(url) || url.startsWith('data:')) {
    console.error(`index.html references another origin: ${url}`);
    process.exit(1);
  }
  referenced.add(posix.normalize(url.startsWith('/') ? url : `/${url}`));
}

// Follow static imports (`import … from "./x.js"`, `import "./x.js"`) of every loaded module.
const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;
const queue = [...referenced].filter((url) => url.endsWith('.js'));
while (queue.length > 0) {
  const url = queue.shift();
  const source = readFileSync(join(dist, url), 'utf8');
  for (const match of source.matchAll(STATIC_IMPORT)) {
    const target = posix.normalize(posix.join(posix.dirname(url), match[1]));
    if (!referenced.has(target)) {
      referenced.add(target);
      queue.push(target);
    }
  }
}

const rows = [['/index.html', readFileSync(indexPath)]];
for (const url of [...referenced].sort()) rows.push([url, readFileSync(join(dist, url))]);

let rawTotal = 0;
let gzipTotal = 0;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const [url, content] of rows) {
  const gz = gzipSync(content, { level: 9 }).length;
  rawTotal += content.length;
  gzipTotal += gz;
  console.log(`${kb(gz).padStart(10)} gz  ${kb(content.length).padStart(10)} raw  ${url}`);
}
console.log(`${kb(gzipTotal).padStart(10)} gz  ${kb(rawTotal).padStart(10)} raw  first load (budget ${kb(BUDGET_BYTES)} gz)`);

if (gzipTotal > BUDGET_BYTES) {
  console.error(`first load is ${kb(gzipTotal)} gzipped, over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
