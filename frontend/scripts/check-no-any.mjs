#!/usr/bin/env node
// Fails when TypeScript under src/ uses `any` as a type. `strict` forbids implicit `any`; this
// catches the explicit kind (`: any`, `as any`, `<any>`, `any[]`) without a whole linter.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../src', import.meta.url));
const ANY_TYPE = /(?::\s*any\b|\bas\s+any\b|<any\b|\bany\s*[\]>|,)]|\bany\[\])/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(ts|svelte)$/.test(entry.name)) yield path;
  }
}

const offences = [];
for (const file of files(root)) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
      if (ANY_TYPE.test(code)) offences.push(`${relative(root, file)}:${index + 1}: ${line.trim()}`);
    });
}

if (offences.length > 0) {
  console.error(`explicit \`any\` is not allowed (use unknown and narrow):\n${offences.join('\n')}`);
  process.exit(1);
}
console.log('no explicit any');
