// Level A/B: what TAB offers, and the help topics.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidates } from '../../../src/commands/completion/candidates.js';
import { buildProgram } from '../../../src/program.js';
import { testContext } from '../../helpers/context.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { connectorProfile, scriptedServer } from '../../helpers/scripted-server.js';

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

describe('completion of --connector-profile, from StackOne', () => {
  const page = (ids: string[]) => ({
    status: 200,
    body: {
      data: ids.map(connectorProfile),
      page: 1,
      page_size: 100,
      total: ids.length,
    },
  });

  it('offers the project’s profile ids, then the cached ones for a while, the key nowhere in the cache', async () => {
    let answers = 0;
    const server = await scriptedServer(() =>
      ++answers === 1
        ? page(['cp_one', 'cp_two'])
        : { status: 500, body: { statusCode: 500, message: 'down', timestamp: '' } },
    );
    try {
      const cache = await mkdtemp(join(tmpdir(), 'cst-complete-cache-'));
      const { ctx } = testContext({
        api: { baseUrl: server.baseUrl, apiKey: 'key_live_completion_secret' },
        env: { CST_CACHE_DIR: cache },
      });
      const words = ['create', '--connector-profile', 'cp_t'];
      expect(await candidates(ctx, buildProgram(ctx), words)).toEqual(['cp_two']);
      // StackOne is down now: the answer of a moment ago still completes.
      expect(await candidates(ctx, buildProgram(ctx), words)).toEqual(['cp_two']);
      expect(answers).toBe(1);
      const [file] = await readdir(join(cache, 'completion'));
      const text = await readFile(join(cache, 'completion', file!), 'utf8');
      expect(text).toContain('cp_one');
      expect(text).not.toContain('key_live_completion_secret');
    } finally {
      await server.close();
    }
  });

  it('a StackOne that does not answer offers nothing once the second is up, and holds nothing open', async () => {
    const server = await scriptedServer(() => ({ hang: true }));
    try {
      const clock = fakeClock(Date.now());
      const { ctx } = testContext({
        api: { baseUrl: server.baseUrl },
        env: { CST_CACHE_DIR: await mkdtemp(join(tmpdir(), 'cst-complete-cache-')) },
        now: clock.now,
        timer: clock.timer,
      });
      const offered = candidates(ctx, buildProgram(ctx), ['create', '--connector-profile', '']);
      // The request is in flight; the second runs out on the test's clock.
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await clock.timer.sleep(1000);
      expect(await offered).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
