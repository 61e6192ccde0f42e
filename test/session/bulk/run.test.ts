// Level B: the bulk engine in-process, against the sandbox's real HTTP server on loopback and a
// config of two projects with no default: rows that name their target each go through their
// own connection and journal; --body-json reaches every row.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultJournal, listJournals } from '../../../src/session/bulk/journals.js';
import { parseCreateOptions, type CreateFlags } from '../../../src/commands/create/options.js';
import { runCreate } from '../../../src/commands/create/run.js';
import { CliError } from '../../../src/core/errors.js';
import { targetId } from '../../../src/ledger/record.js';
import { takeLock } from '../../../src/core/util/lock.js';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/server.js';
import { testContext } from '../../helpers/context.js';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A sandbox, and a config naming two of its projects, neither the default. */
async function twoProjects() {
  const root = await mkdtemp(join(tmpdir(), 'cst-bulk-run-'));
  const env = { CST_CONFIG_DIR: join(root, 'config'), CST_STATE_DIR: join(root, 'state') };
  sandbox = await startSandbox({ stateDir: join(root, 'sandbox') });
  const [first, second] = (await sandbox.store.read()).organizations.flatMap((org) => org.projects);
  const config = {
    organizations: {
      north: { projects: { hr: { base_url: sandbox.baseUrl, key_env: 'NORTH_KEY' } } },
      south: { projects: { hr: { base_url: sandbox.baseUrl, key_env: 'SOUTH_KEY' } } },
    },
  };
  await mkdir(env.CST_CONFIG_DIR, { recursive: true, mode: 0o700 });
  await writeFile(join(env.CST_CONFIG_DIR, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  return {
    root,
    env: { ...env, NORTH_KEY: first!.apiKey, SOUTH_KEY: second!.apiKey },
  };
}

async function bulk(env: Record<string, string>, rows: string, flags: Partial<CreateFlags>) {
  const input = join(env.CST_STATE_DIR!, '..', 'rows.csv');
  await writeFile(input, rows);
  const io = testContext({ env });
  const error = await runCreate(
    parseCreateOptions({ timeout: '5s', fromFile: input, ...flags }),
    io.ctx,
  ).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  return { ...io, error, input };
}

describe('bulk runs', () => {
  it('rows that each name their target need no default project, and keep a journal per target', async () => {
    const { root, env } = await twoProjects();
    const results = join(root, 'links.csv');
    const rows =
      'owner_id,owner_name,org,project\nc1,One,north,hr\nc2,Two,south,hr\nc3,Three,north,hr\n';
    const run = await bulk(env, rows, { results });
    expect(run.error).toBeUndefined();
    expect((await readFile(results, 'utf8')).trim().split('\n')).toHaveLength(4);
    // One connection per target: north's two rows shared one.
    expect(run.connects.map((c) => c.flags)).toEqual([
      { org: 'north', project: 'hr' },
      { org: 'south', project: 'hr' },
    ]);
    const journals = listJournals(env);
    expect(journals.map((j) => [`${j.org}/${j.project}`, j.states.issued]).sort()).toEqual([
      ['north/hr', 2],
      ['south/hr', 1],
    ]);
    // A re-run skips every row: each found in its own target's journal.
    const again = await bulk(env, rows, { results });
    expect(again.error).toBeUndefined();
    expect(again.stderr()).toContain('issued 0, failed 0, skipped 3, unknown 0');
  });

  it('a row that needs the default target, when there is none, stops the run with that one error', async () => {
    const { root, env } = await twoProjects();
    const rows = 'owner_id,owner_name,org,project\nc1,One,north,hr\nc2,Two,,\nc3,Three,south,hr\n';
    const run = await bulk(env, rows, { results: join(root, 'links.csv'), concurrency: '1' });
    expect([run.error?.code, run.error?.exitCode]).toEqual(['usage', 2]);
    expect(run.error?.message).toBe('stopped: missing required flags: --org, --project');
    expect(run.error?.hint).toMatch(
      /has north\/hr, south\/hr\. 2 rows were not sent; resume with: cst$/,
    );
    expect(run.stderr()).toContain('issued 1, failed 0, skipped 0, unknown 0');
  });

  it('a journal another run holds stops the run before that target’s rows are sent', async () => {
    const { root, env } = await twoProjects();
    const journal = defaultJournal(
      env,
      join(root, 'rows.csv'),
      targetId('project', sandbox!.baseUrl, env.NORTH_KEY),
    );
    await mkdir(dirname(journal), { recursive: true });
    const release = takeLock(`${journal}.lock`);
    try {
      const rows = 'owner_id,owner_name,org,project\nc1,One,north,hr\nc2,Two,north,hr\n';
      const run = await bulk(env, rows, { results: join(root, 'links.csv') });
      expect([run.error?.code, run.error?.exitCode]).toEqual(['journal_locked', 1]);
      expect(run.error?.message).toBe(
        `stopped: another cst run is using the journal ${journal} (pid ${process.pid})`,
      );
      expect(run.error?.hint).toMatch(/^2 rows were not sent; resume with: cst$/);
      expect(await sandbox!.store.sessions()).toEqual([]);
    } finally {
      release();
    }
  });

  it('--body-json goes into every row’s request, as for a single create', async () => {
    const { env } = await twoProjects();
    const run = await bulk(env, 'owner_id,owner_name\nc1,One\nc2,Two\n', {
      org: 'north',
      project: 'hr',
      dryRun: true,
      bodyJson: '{"provider_version":"2"}',
    });
    expect(run.error).toBeUndefined();
    const bodies = run
      .stdout()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { body: Record<string, unknown> }).body);
    expect(bodies).toEqual([
      { origin_owner_id: 'c1', origin_owner_name: 'One', provider_version: '2' },
      { origin_owner_id: 'c2', origin_owner_name: 'Two', provider_version: '2' },
    ]);
  });
});
