// Level A: the one-way doors of ARCHITECTURE.md. A module may import its own room, or a room
// below it; never one above. The one known exception is listed, so a new one fails here.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Higher imports lower. The foundation (rank 1) may import itself, nothing above. */
const RANK: Record<string, number> = {
  main: 10,
  program: 9,
  commands: 8,
  bulk: 7,
  connection: 6,
  config: 5,
  ledger: 4,
  sandbox: 4,
  options: 4,
  api: 3,
  output: 1,
  util: 1,
  context: 1,
  errors: 1,
  runtime: 1,
  prompter: 1,
};

/** No exceptions: bulk takes a plan of its own (bulk/plan.ts), not create's options. */
const KNOWN: string[] = [];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)));
}

const room = (path: string) =>
  path.includes('/') ? path.split('/')[0]! : path.replace(/\.ts$/, '');

describe('the doors between src/ rooms', () => {
  it('open one way only: no module imports a room above its own', async () => {
    const crossings: string[] = [];
    for (const file of await sources(SRC)) {
      const text = await readFile(join(SRC, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const target = normalize(join(dirname(file), spec!)).replace(/\.js$/, '.ts');
        const [from, to] = [room(file), room(target)];
        expect(RANK[from], `${file} is in no known room`).toBeDefined();
        expect(RANK[to], `${target} is in no known room`).toBeDefined();
        const upward =
          RANK[to]! > RANK[from]! || (from !== to && RANK[to] === RANK[from] && RANK[from]! > 1);
        if (upward) crossings.push(`${file} -> ${target}`);
      }
    }
    expect([...new Set(crossings)].sort()).toEqual(KNOWN);
  });

  it('keep the API client free of commands and output', async () => {
    for (const file of (await sources(SRC)).filter((f) => f.startsWith('api/'))) {
      const text = await readFile(join(SRC, file), 'utf8');
      expect(text, file).not.toMatch(/from '\.\.\/(commands|output|bulk|config)\//);
    }
  });
});
