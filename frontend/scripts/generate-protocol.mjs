/**
 * Generates the TypeScript wire types. Never edit the outputs by hand.
 *
 * - `src/protocol/generated.ts` from `src/protocol/schema.json`, which `make schema` exports from
 *   `app/realtime/protocol.py` (the socket frames, and the views REST returns too);
 * - `src/api/generated.ts` from `src/api/openapi.json`, the server's OpenAPI component schemas
 *   (`npm run api:export` writes it; a browser test checks it against the running server).
 *
 *   node scripts/generate-protocol.mjs          write both files
 *   node scripts/generate-protocol.mjs --check  fail when a committed file differs (drift)
 *
 * Two adjustments before compiling, both about how the server writes JSON:
 * - property `title`s are dropped, so each field is not emitted as its own type alias;
 * - what the server sends is serialised with every field (pydantic dumps defaults too), so in
 *   every definition that is not a client frame or a request body, all properties are required.
 *   Client commands and request bodies keep their optional fields: the server fills defaults in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const SRC = join(here, '..', 'src');

const banner = (source, origin) => `/* eslint-disable */
/**
 * GENERATED from ${source} by scripts/generate-protocol.mjs: do not edit.
 * ${origin}; regenerate with \`npm run protocol\`.
 * \`npm run check\` fails when this file and ${source} disagree.
 */`;

function refName(ref) {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Names of the definitions a client sends (the targets of `ClientFrame`). */
function clientDefinitions(defs) {
  const union = defs.ClientFrame;
  const refs = [...(union.oneOf ?? []), ...(union.anyOf ?? [])].map((member) => refName(member.$ref));
  return new Set(refs);
}

/** Request bodies by the server's naming families (`…Create`, `…Update`, `…Request` …). */
const REQUEST_BODY = /(Create|Update|Request|Change|Set|Order|Extension|Accept|Split|Merge|Moderation|Focus Update)$|^(Body_|LoginRequest|PlenaryFocusUpdate|GroupUpdate|GroupMerge|GroupSplit|GroupAccept|AllocationsUpdate|RoomQuestionOrder|RoomModeratorsSet|ErasureRequest|VoteRequest|TimerExtension|AnswerMergeRequest)/;

function stripTitles(node, keep) {
  if (Array.isArray(node)) return node.map((item) => stripTitles(item, false));
  if (typeof node !== 'object' || node === null) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'title' && !keep) continue;
    if (key === 'properties' && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, stripTitles(schema, false)]));
    } else {
      out[key] = stripTitles(value, false);
    }
  }
  return out;
}

function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(value),
    ]),
  );
}

async function compileDefinitions(definitions, isInput, header, footer = '') {
  const defs = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const cleaned = stripTitles(definition, true);
    cleaned.title = name;
    if (!isInput(name) && cleaned.properties) cleaned.required = Object.keys(cleaned.properties);
    defs[name] = cleaned;
  }
  const names = Object.keys(defs).sort();
  const root = {
    title: 'BreakoutsProtocol',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(names.map((name) => [name, { $ref: `#/$defs/${name}` }])),
    required: names,
    $defs: defs,
  };
  const body = await compile(root, 'BreakoutsProtocol', {
    bannerComment: header,
    additionalProperties: false,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  return `${body.trimEnd()}\n${footer}`;
}

async function renderProtocol() {
  const schema = JSON.parse(readFileSync(join(SRC, 'protocol', 'schema.json'), 'utf8'));
  const clients = clientDefinitions(schema.$defs);
  const footer = `\nexport const PROTOCOL_VERSION_OF_SCHEMA = ${JSON.stringify(schema.protocolVersion)};\n`;
  const header = banner('src/protocol/schema.json', 'The schema is exported from app/realtime/protocol.py by `make schema`');
  return compileDefinitions(schema.$defs, (name) => clients.has(name), header, footer);
}

async function renderApi() {
  const spec = JSON.parse(readFileSync(join(SRC, 'api', 'openapi.json'), 'utf8'));
  const schemas = rewriteRefs(spec.components.schemas);
  const header = banner('src/api/openapi.json', 'The file is the server\'s OpenAPI schemas, written by `npm run api:export`');
  return compileDefinitions(schemas, (name) => REQUEST_BODY.test(name), header);
}

const TARGETS = [
  ['protocol/generated.ts', renderProtocol, 'src/protocol/schema.json'],
  ['api/generated.ts', renderApi, 'src/api/openapi.json'],
];

const check = process.argv.includes('--check');
let stale = false;
for (const [output, render, source] of TARGETS) {
  const current = await render();
  const path = join(SRC, output);
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      committed = '';
    }
    if (committed !== current) {
      console.error(`src/${output} is out of date with ${source}: run \`npm run protocol\``);
      stale = true;
    }
  } else {
    writeFileSync(path, current);
    console.log(`wrote src/${output}`);
  }
}
if (stale) process.exit(1);
