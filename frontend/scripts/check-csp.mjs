#!/usr/bin/env node
// Checks the built page against the server's Content-Security-Policy (app/security_headers.py):
// no inline script or style, no style attributes, nothing from another origin, no data: fonts.
// Run after `vite build` (the `build` script does).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const problems = [];
const html = readFileSync(join(dist, 'index.html'), 'utf8');

for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
  if (!/\bsrc=/.test(match[1])) problems.push('index.html has an inline <script>');
  if (match[2].trim() !== '') problems.push('index.html has a <script> with a body');
}
if (/<style\b/i.test(html)) problems.push('index.html has an inline <style>');
if (/\sstyle=/i.test(html)) problems.push('index.html has a style attribute');
if (/\son[a-z]+=/i.test(html)) problems.push('index.html has an inline event handler');
for (const match of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
  if (/^(?:[a-z]+:)?\/\//i.test(match[1])) problems.push(`index.html loads from another origin: ${match[1]}`);
}

const assets = join(dist, 'assets');
for (const name of readdirSync(assets)) {
  const text = readFileSync(join(assets, name), 'utf8');
  if (name.endsWith('.css')) {
    if (/@import\s+url\(\s*["']?(?:https?:)?\/\//i.test(text)) problems.push(`${name} imports CSS from another origin`);
    if (/url\(\s*["']?data:font/i.test(text)) problems.push(`${name} inlines a font as data: (font-src 'self')`);
    if (/url\(\s*["']?(?:https?:)?\/\//i.test(text)) problems.push(`${name} loads from another origin`);
  }
}

if (problems.length > 0) {
  console.error(`the build breaks the Content-Security-Policy:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('dist satisfies the Content-Security-Policy (static check)');
