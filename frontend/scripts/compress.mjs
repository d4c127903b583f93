#!/usr/bin/env node
// Writes a gzip (`.gz`) and a brotli (`.br`) copy beside every compressible file of the build, so
// the server sends them as they are (app/static_site.py picks one by Accept-Encoding) and never
// compresses on a request. Both at their highest level: this runs once per build, not per request.
// A copy that would not be smaller is not written. Run after `vite build` (the `build` script does).
//
// Usage: node scripts/compress.mjs [dist-dir]
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Text formats; images other than SVG and fonts (woff2) are compressed already.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.txt', '.map', '.webmanifest']);
const ENCODED = /\.(?:gz|br)$/;

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let written = 0;
for (const path of [...files(dist)]) {
  if (ENCODED.test(path)) {
    unlinkSync(path); // left from an earlier build
    continue;
  }
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const content = readFileSync(path);
  const variants = [
    ['.gz', gzipSync(content, { level: 9 })],
    [
      '.br',
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    ],
  ];
  for (const [suffix, compressed] of variants) {
    if (compressed.length < content.length) {
      writeFileSync(path + suffix, compressed);
      written += 1;
    }
  }
}
console.log(`wrote ${written} precompressed files (gzip and brotli) in ${dist}`);
