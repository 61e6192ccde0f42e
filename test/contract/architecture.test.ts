// Level A: the one-way doors of ARCHITECTURE.md. A module may import its own room, or a room
// below it; never one above, never a sibling of its rank (no command imports another command),
// and no chain of imports, type-only or dynamic ones included, comes back to where it started.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Higher imports lower. Rooms of one rank above the foundation are closed to each other. */
const RANK: Record<string, number> = {
  main: 11,
  program: 10,
  'commands/*': 9,
  cmdutil: 8,
  session: 7,
  connection: 6,
  config: 5,
  ledger: 4,
  sandbox: 4,
  options: 4,
  api: 3,
  core: 1,
};

type Graph = Map<string, string[]>;

async function importGraph(): Promise<Graph> {
  const entries = await readdir(SRC, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)));
  const graph: Graph = new Map();
  for (const file of files) {
    const text = await readFile(join(SRC, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map(([, spec]) =>
      normalize(join(dirname(file), spec!)).replace(/\.js$/, '.ts'),
    );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** `commands/create/run.ts` is in room `commands/create`; `bulk/x.ts` in `bulk`; `main.ts` in `main`. */
function room(path: string): string {
  const parts = path.replace(/\.ts$/, '').split('/');
  return parts[0] === 'commands' && parts.length > 2 ? `commands/${parts[1]}` : parts[0]!;
}

function rank(path: string): number | undefined {
  const name = room(path);
  return RANK[name.startsWith('commands/') ? 'commands/*' : name];
}

/** Every import that goes up, or sideways between rooms of one rank above the foundation. */
function crossings(graph: Graph): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const [from, to] = [rank(file), rank(target)];
      if (from === undefined || to === undefined) {
        found.push(`${from === undefined ? file : target} is in no known room`);
        continue;
      }
      if (to > from || (room(file) !== room(target) && to === from && from > 1))
        found.push(`${file} -> ${target}`);
    }
  }
  return [...new Set(found)].sort();
}

/** Each import cycle once, as the files around it. */
function cycles(graph: Graph): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0]!);
        found.add([...loop.slice(start), ...loop.slice(0, start)].join(' -> '));
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found].sort();
}

describe('the doors between src/ rooms', () => {
  it('open one way only: no module imports a room above its own, or a sibling', async () => {
    expect(crossings(await importGraph())).toEqual([]);
  });

  it('make no cycle, type-only and dynamic imports included', async () => {
    expect(cycles(await importGraph())).toEqual([]);
  });

  it("keep the sandbox out of the client's mind: it reads StackOne's schema, not cst's field table", async () => {
    for (const [file, targets] of await importGraph())
      if (file.startsWith('sandbox/')) expect(targets, file).not.toContain('api/request-fields.ts');
  });

  it('keep the API client free of commands and output', async () => {
    for (const [file] of await importGraph()) {
      if (!file.startsWith('api/')) continue;
      const text = await readFile(join(SRC, file), 'utf8');
      expect(text, file).not.toMatch(/from '\.\.\/(commands|core\/output|session|config)\//);
    }
  });
});

describe('the test of the doors', () => {
  it('fails on a command importing another command, and on an import upward', () => {
    const graph: Graph = new Map([
      ['commands/create/run.ts', ['commands/wait/engine.ts', 'api/client.ts']],
      ['commands/wait/engine.ts', []],
      ['api/client.ts', ['session/issue.ts']],
      ['session/issue.ts', []],
    ]);
    expect(crossings(graph)).toEqual([
      'api/client.ts -> session/issue.ts',
      'commands/create/run.ts -> commands/wait/engine.ts',
    ]);
  });

  it('fails on any cycle, however long, and names it once', () => {
    const graph: Graph = new Map([
      ['core/output/record.ts', ['core/output/table.ts']],
      ['core/output/table.ts', ['core/output/rows.ts']],
      ['core/output/rows.ts', ['core/output/record.ts']],
      ['core/context.ts', ['core/prompter.ts']],
      ['core/prompter.ts', ['core/context.ts']],
    ]);
    expect(cycles(graph)).toEqual([
      'core/context.ts -> core/prompter.ts',
      'core/output/record.ts -> core/output/table.ts -> core/output/rows.ts',
    ]);
    expect(
      cycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
