// Rebuilds test/fixtures/stackone-platform-spec.json: the platform paths the contract tests use
// (connect sessions and accounts) and every schema they reference, taken verbatim from StackOne's
// spec (../shared/stackone-openapi/out.openapi.yaml), then the declared overlay of newer
// documented fields (test/fixtures/spec-overlay.json), each entry naming its source. And, from
// the fixture, src/sandbox/create-schema.json: what the sandbox checks a create against, so that
// the server that tests cst reads StackOne's schema, not cst's own field table.
//
//   node scripts/spec-fixture.js          writes the fixture
//   node scripts/spec-fixture.js --check  exits 1 when the committed fixture disagrees
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';

export const SPEC = fileURLToPath(
  new URL('../../shared/stackone-openapi/out.openapi.yaml', import.meta.url),
);
export const OVERLAY = fileURLToPath(
  new URL('../test/fixtures/spec-overlay.json', import.meta.url),
);
export const FIXTURE = fileURLToPath(
  new URL('../test/fixtures/stackone-platform-spec.json', import.meta.url),
);

export const SANDBOX_SCHEMA = fileURLToPath(
  new URL('../src/sandbox/create-schema.json', import.meta.url),
);

const PATHS = [
  '/connect_sessions',
  '/connect_sessions/authenticate',
  '/accounts',
  '/accounts/{id}',
  '/accounts/{id}/meta',
];

/** The fixture from the spec (parsed) and the overlay (parsed). */
export function buildFixture(spec, overlay) {
  const paths = Object.fromEntries(PATHS.map((path) => [path, spec.paths[path]]));
  const schemas = {};
  const walk = (value) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key !== '$ref' || typeof inner !== 'string') walk(inner);
      else {
        const name = inner.split('/').pop();
        if (schemas[name] === undefined) {
          schemas[name] = structuredClone(spec.components.schemas[name]);
          walk(schemas[name]);
        }
      }
    }
  };
  walk(paths);
  const fixture = {
    source: overlay.source,
    paths: structuredClone(paths),
    components: { schemas },
  };
  for (const { at, value } of overlay.set) {
    let parent = fixture;
    for (const key of at.slice(0, -1)) parent = parent[key] ??= {};
    parent[at.at(-1)] = value;
  }
  return fixture;
}

/**
 * ConnectSessionCreate as the sandbox checks it: required fields, types, nullability, enums;
 * and which of its fields a ConnectSession carries back (`echoed`).
 */
export function sandboxSchema(fixture) {
  const create = fixture.components.schemas.ConnectSessionCreate;
  const session = fixture.components.schemas.ConnectSession;
  const keep = ({ type, nullable, enum: values, items }) => ({
    type,
    ...(nullable ? { nullable } : {}),
    ...(values ? { enum: values } : {}),
    ...(items ? { items: keep(items) } : {}),
  });
  return {
    required: create.required,
    echoed: Object.keys(create.properties).filter((name) => name in session.properties),
    properties: Object.fromEntries(
      Object.entries(create.properties).map(([name, property]) => [name, keep(property)]),
    ),
  };
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

async function main() {
  if (!existsSync(SPEC)) {
    process.stderr.write(`error: ${SPEC} is not here: the spec lives beside the clone\n`);
    process.exitCode = 1;
    return;
  }
  const { parse } = await import('yaml');
  const fixture = buildFixture(
    parse(readFileSync(SPEC, 'utf8')),
    JSON.parse(readFileSync(OVERLAY, 'utf8')),
  );
  if (process.argv.includes('--check')) {
    const same =
      isDeepStrictEqual(fixture, JSON.parse(readFileSync(FIXTURE, 'utf8'))) &&
      isDeepStrictEqual(sandboxSchema(fixture), JSON.parse(readFileSync(SANDBOX_SCHEMA, 'utf8')));
    process.stderr.write(same ? 'the fixture agrees\n' : 'error: the fixture disagrees\n');
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(FIXTURE, json(fixture));
  writeFileSync(SANDBOX_SCHEMA, json(sandboxSchema(fixture)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
