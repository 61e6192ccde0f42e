// Level A: argv in, typed options or a usage error out.
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CreateOptions } from '../../../src/commands/create/options.js';
import { UsageError } from '../../../src/core/errors.js';
import { buildProgram } from '../../../src/program.js';
import { testContext } from '../../helpers/context.js';

async function parse(argv: string[]): Promise<CreateOptions> {
  const { ctx } = testContext();
  let captured: CreateOptions | undefined;
  const program = buildProgram(ctx, (_command, options) => {
    captured = options as CreateOptions;
    return Promise.resolve();
  });
  await program.parseAsync(['create', ...argv], { from: 'user' });
  if (!captured) throw new Error('the runner was not called');
  return captured;
}

const base = {
  target: {},
  timeoutMs: 30_000,
  extraBody: undefined,
  dryRun: false,
  strict: false,
  bulk: undefined,
  output: { format: undefined, field: undefined },
  handoff: { copy: false, open: false },
};

describe('cst create: parsing', () => {
  it.each<[string, string[], Partial<CreateOptions>]>([
    ['nothing', [], { request: {} }],
    [
      'a connector profile checked strictly',
      ['--connector-profile', 'cp_1', '--strict'],
      { request: { connectorProfileId: 'cp_1' }, strict: true },
    ],
    [
      'owner flags',
      ['--owner-id', 'c1', '--owner-name', 'Acme'],
      { request: { originOwnerId: 'c1', originOwnerName: 'Acme' } },
    ],
    ['categories as one list', ['-c', 'hris,ats'], { request: { categories: ['hris', 'ats'] } }],
    [
      'categories repeated, deduplicated',
      ['-c', 'hris', '--categories', 'ats,hris'],
      { request: { categories: ['hris', 'ats'] } },
    ],
    [
      'camelCase categories become wire values',
      ['-c', 'hrisLegacy,stackOne'],
      { request: { categories: ['hris-legacy', 'stackone'] } },
    ],
    ['expires-in in minutes', ['--expires-in', '30m'], { request: { expiresIn: 1800 } }],
    [
      'a connector profile',
      ['--connector-profile', 'cp_1'],
      { request: { connectorProfileId: 'cp_1' } },
    ],
    [
      'wait with its pacing',
      ['--wait', '--interval', '5s', '--wait-timeout', '0'],
      { request: {}, wait: { intervalMs: 5000, waitTimeoutMs: 0 } },
    ],
    ['expires-in bare seconds', ['--expires-in', '90'], { request: { expiresIn: 90 } }],
    ['expires-in in days', ['--expires-in', '5d'], { request: { expiresIn: 432_000 } }],
    ['expires-in compound', ['--expires-in', '1h30m'], { request: { expiresIn: 5400 } }],
    [
      'metadata pairs over metadata-json',
      ['--metadata-json', '{"a":1,"b":2}', '--metadata', 'b=x', '--metadata', 'c=y=z'],
      { request: { metadata: { a: 1, b: 'x', c: 'y=z' } } },
    ],
    ['multiple', ['--multiple'], { request: { multiple: true } }],
    ['no-multiple', ['--no-multiple'], { request: { multiple: false } }],
    [
      'every other field',
      [
        '--provider',
        'bamboohr',
        '--username',
        'u@x',
        '--account-id',
        'acc1',
        '--label',
        'L',
        '--type',
        'test',
        '--integration-id',
        'int1',
      ],
      {
        request: {
          provider: 'bamboohr',
          originUsername: 'u@x',
          accountId: 'acc1',
          label: 'L',
          type: 'test',
          integrationId: 'int1',
        },
      },
    ],
    ['body-json', ['--body-json', '{"shared":true}'], { request: {}, extraBody: { shared: true } }],
    [
      'target flags',
      ['--org', 'acme', '--project', 'prod', '--sandbox'],
      { request: {}, target: { org: 'acme', project: 'prod', sandbox: true } },
    ],
    ['timeout', ['--timeout', '1500ms'], { request: {}, timeoutMs: 1500 }],
    ['json', ['--json'], { request: {}, output: { format: 'json', field: undefined } }],
    ['output yaml', ['-o', 'yaml'], { request: {}, output: { format: 'yaml', field: undefined } }],
    ['field', ['--field', 'token'], { request: {}, output: { format: undefined, field: 'token' } }],
    [
      'bulk with its defaults',
      ['--from-file', 'rows.csv', '--results', 'out.csv', '-c', 'hris'],
      {
        request: { categories: ['hris'] },
        bulk: {
          input: 'rows.csv',
          defaults: { categories: ['hris'] },
          extraBody: undefined,
          target: {},
          timeoutMs: 30_000,
          dryRun: false,
          strict: false,
          results: 'out.csv',
          columns: [
            'row',
            'owner_id',
            'owner_name',
            'session_id',
            'auth_link_url',
            'token',
            'expires_at',
          ],
          showSecrets: false,
          concurrency: 8,
          ratePerSecond: 975 / 60,
          maxNetworkFailures: 10,
          journal: undefined,
          retryUnknown: false,
          leaseMs: 120_000,
          shard: undefined,
          force: false,
          format: undefined,
        },
      },
    ],
    [
      'rates',
      ['--from-file', '-', '--rate', '20/s', '--json'],
      {
        request: {},
        bulk: expect.objectContaining({
          input: '-',
          ratePerSecond: 20,
          format: 'ndjson',
        }) as never,
      },
    ],
    [
      'no pacing',
      ['--from-file', '-', '--rate', 'unlimited'],
      { request: {}, bulk: expect.objectContaining({ ratePerSecond: Infinity }) as never },
    ],
  ])('%s', async (_name, argv, expected) => {
    expect(await parse(argv)).toEqual({ ...base, ...expected });
  });

  it.each<[string, string[], string]>([
    [
      'unknown category, with a suggestion',
      ['-c', 'hirs'],
      '--categories: unknown category "hirs" (did you mean "hris"?); valid: ats, hris, hris-legacy, crm, iam, marketing, lms, stackone, documents, ticketing, screening, messaging, accounting, scheduling',
    ],
    [
      "a --timeout beyond a timer's reach",
      ['--timeout', '25d'],
      '--timeout: must be at most 24d20h31m23s (the longest timer Node can set)',
    ],
    [
      "a --wait-timeout beyond a timer's reach",
      ['--wait', '--wait-timeout', '30d'],
      '--wait-timeout: must be at most 24d20h31m23s (the longest timer Node can set)',
    ],
    [
      'bad duration',
      ['--expires-in', 'soon'],
      '--expires-in: "soon" is not a duration: use a number of seconds, or numbers with units ms, s, m, h, d (30m, 12h, 1h30m, 2d12h)',
    ],
    [
      'both names of the connector profile',
      ['--integration-id', 'i', '--connector-profile', 'c'],
      '--integration-id and --connector-profile name the same thing: use --connector-profile',
    ],
    [
      'wait in a bulk run',
      ['--from-file', 'r.csv', '--results', 'o.csv', '--wait'],
      '--wait is for a single create; for a bulk run, cst wait --session <id>',
    ],
    ['a sub-second poll', ['--wait', '--interval', '500ms'], '--interval: must be at least 1s'],
    [
      'too short a duration',
      ['--expires-in', '10ms'],
      '--expires-in: must be from 1s to 2147483647s (about 68 years)',
    ],
    [
      'a part of a second, which the wire cannot carry',
      ['--expires-in', '1s500ms'],
      '--expires-in: must be whole seconds: StackOne takes expires_in in seconds',
    ],
    [
      'a duration no expiry can be computed for',
      ['--expires-in', '100000000d'],
      '--expires-in: must be from 1s to 2147483647s (about 68 years)',
    ],
    ['metadata without =', ['--metadata', 'plan'], '--metadata: "plan" is not key=value'],
    [
      'metadata-json not an object',
      ['--metadata-json', '[1]'],
      '--metadata-json: must be a JSON object',
    ],
    ['body-json not JSON', ['--body-json', '{'], '--body-json: not valid JSON'],
    ['empty owner id', ['--owner-id', ' '], '--owner-id: must not be empty'],
    [
      'unknown field',
      ['--field', 'nope'],
      'unknown --field "nope": use one of id, organization_id, project_id, categories, provider, origin_owner_id, origin_owner_name, origin_username, account_id, label, created_at, metadata, external_trigger_token, type, integration_id, connector_profile_id, latest_connection_attempt, token, auth_link_url, expires_at',
    ],
    [
      'field with json',
      ['--field', 'token', '--json'],
      '--field prints one value alone: drop --json/--output',
    ],
    ['json with another output', ['--json', '-o', 'yaml'], '--json conflicts with --output yaml'],
    ['zero timeout', ['--timeout', '0'], '--timeout: must be more than 0'],
    [
      'a bulk flag without --from-file',
      ['--results', 'r.csv'],
      '--results is for bulk runs: add --from-file',
    ],
    [
      '--strict with nothing to check',
      ['--strict'],
      '--strict checks a bulk run or a --connector-profile: add --from-file or --connector-profile',
    ],
    ...['--columns=id', '--show-secrets', '--journal=j', '--retry-unknown', '--force'].map(
      (arg): [string, string[], string] => {
        const flag = arg.split('=')[0] ?? arg;
        return [`${flag} without --from-file`, [arg], `${flag} is for bulk runs: add --from-file`];
      },
    ),
    [
      'csv output for a single create',
      ['-o', 'csv'],
      '--output csv is for bulk runs; use table, json, yaml or tsv',
    ],
    [
      'yaml output for a bulk run',
      ['--from-file', 'f.csv', '-o', 'yaml'],
      '--output yaml is for a single create; a bulk run prints ndjson, csv or tsv',
    ],
    [
      'a bad rate',
      ['--from-file', 'f.csv', '--rate', 'fast'],
      '--rate: "fast" is not a rate: use N/s, N/min, N/h, N (per minute), 0 or unlimited',
    ],
    [
      'zero concurrency',
      ['--from-file', 'f.csv', '--concurrency', '0'],
      '--concurrency: "0" is not a whole number of 1 or more',
    ],
    [
      'unknown result columns',
      ['--from-file', 'f.csv', '--columns', 'owner_id,password'],
      '--columns: unknown password; use any of row, owner_id, owner_name, session_id, token, auth_link_url, expires_at, row_key',
    ],
    [
      'reissue and bulk together',
      ['--from-file', 'f.csv', '--from-session', '3'],
      '--from-session and --from-file do not go together',
    ],
  ])('%s is a usage error', async (_name, argv, message) => {
    const error = await parse(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(message);
  });

  it.each<[string, string[], string]>([
    ['unknown flag', ['--owner'], "error: unknown option '--owner'\n(Did you mean --owner-id?)"],
    [
      'bad type',
      ['--type', 'prod'],
      "error: option '--type <type>' argument 'prod' is invalid. Allowed choices are production, test.",
    ],
    [
      'bad output',
      ['-o', 'xml'],
      "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are table, json, yaml, tsv, csv, ndjson.",
    ],
  ])('%s is a commander error', async (_name, argv, message) => {
    const error = await parse(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toBe(message);
  });
});
