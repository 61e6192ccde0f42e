// Level A/B: what TAB offers, and the help topics.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidates } from '../../../src/commands/completion/candidates.js';
import { buildProgram } from '../../../src/program.js';
import { testContext } from '../../helpers/context.js';

async function complete(words: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'cst-complete-'));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      organizations: {
        acme: { projects: { prod: { key_env: 'K' }, staging: { key_env: 'K' } } },
        globex: { projects: { eu: { key_env: 'K' } } },
      },
    }),
  );
  const { ctx } = testContext({ env: { CST_CONFIG_DIR: dir } });
  return candidates(ctx, buildProgram(ctx), words);
}

describe('completion candidates', () => {
  it.each<[string[], string[]]>([
    [['cr'], ['create']],
    [['a'], ['accounts']],
    [
      ['accounts', ''],
      ['delete', 'get', 'list', 'meta', 'update'],
    ],
    [
      ['create', '--owner-'],
      ['--owner-id', '--owner-name'],
    ],
    [
      ['create', '-c', 'hris,a'],
      ['hris,accounting', 'hris,ats'],
    ],
    [
      ['create', '--type', ''],
      ['production', 'test'],
    ],
    [
      ['list', '-o', ''],
      ['csv', 'json', 'table', 'tsv', 'wide', 'yaml'],
    ],
    // Only what the line so far accepts: a single create prints no csv or ndjson.
    [
      ['create', '-o', ''],
      ['json', 'table', 'tsv', 'yaml'],
    ],
    [
      ['create', '--from-file', 'in.csv', '-o', ''],
      ['csv', 'json', 'ndjson', 'table', 'tsv', 'yaml'],
    ],
    [
      ['list', '--state', ''],
      ['cancelled', 'expired', 'failed', 'linked', 'pending', 'undelivered'],
    ],
    // Deprecated flags work, but are not offered.
    [['list', '--stat'], ['--state']],
    [['create', '--integration'], []],
    [
      ['create', '--org', ''],
      ['acme', 'globex'],
    ],
    [
      ['create', '--org', 'acme', '--project', ''],
      ['prod', 'staging'],
    ],
    [
      ['completion', ''],
      ['bash', 'zsh'],
    ],
    [
      ['help', 'e'],
      ['environment', 'exit-codes'],
    ],
  ])('%j → %j', async (words, expected) => {
    expect(await complete(words)).toEqual(expected);
  });
});

describe('cst help', () => {
  it.each(['environment', 'exit-codes', 'formatting'])('prints the %s topic', async (topic) => {
    const io = testContext();
    await buildProgram(io.ctx).parseAsync(['help', topic], { from: 'user' });
    const { TOPICS } = await import('../../../src/commands/help/topics.js');
    expect(io.stdout()).toBe(TOPICS[topic]);
  });

  it('prints a command’s help', async () => {
    const io = testContext();
    const program = buildProgram(io.ctx);
    await program.parseAsync(['help', 'accounts', 'list'], { from: 'user' });
    expect(io.stdout()).toBe(
      program.commands
        .find((c) => c.name() === 'accounts')!
        .commands.find((c) => c.name() === 'list')!
        .helpInformation(),
    );
  });
});
