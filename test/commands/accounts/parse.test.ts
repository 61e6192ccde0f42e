// Level A: cst accounts command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const common = { target: {}, timeoutMs: 30_000, showCredentials: false };
const record = { format: undefined, field: undefined };

describe('cst accounts: parsing', () => {
  it.each<[string, string[], string, Record<string, unknown>]>([
    [
      'list with its defaults',
      ['accounts', 'list'],
      'accounts list',
      {
        ...common,
        connectorProfileId: undefined,
        filter: {
          providers: undefined,
          originOwnerIds: undefined,
          accountIds: undefined,
          status: undefined,
        },
        pageSize: 25,
        limit: 50,
        output: record,
      },
    ],
    [
      'list with repeated filters, --all and -o wide',
      [
        'accounts',
        'list',
        '--provider',
        'bamboohr',
        '--provider',
        'workday',
        '--owner-id',
        'c1',
        '--status',
        'active',
        '--all',
        '--page-size',
        '100',
        '-o',
        'wide',
        '--connector-profile',
        'cp_1',
      ],
      'accounts list',
      {
        ...common,
        connectorProfileId: 'cp_1',
        filter: {
          providers: ['bamboohr', 'workday'],
          originOwnerIds: ['c1'],
          accountIds: undefined,
          status: ['active'],
        },
        pageSize: 100,
        limit: Infinity,
        output: { format: 'wide', field: undefined },
      },
    ],
    [
      'get with a target, a timeout and --field',
      [
        'accounts',
        'get',
        'acc_1',
        '--org',
        'acme',
        '--project',
        'prod',
        '--timeout',
        '5s',
        '--field',
        'status',
      ],
      'accounts get',
      {
        ...common,
        target: { org: 'acme', project: 'prod' },
        timeoutMs: 5000,
        id: 'acc_1',
        output: { format: undefined, field: 'status' },
      },
    ],
    [
      'meta on the sandbox, as JSON',
      ['accounts', 'meta', 'acc_1', '--sandbox', '--json'],
      'accounts meta',
      {
        ...common,
        target: { sandbox: true },
        id: 'acc_1',
        output: { format: 'json', field: undefined },
      },
    ],
    [
      'update with a label and credentials shown',
      ['accounts', 'update', 'acc_1', '--label', 'Acme HR', '--show-credentials'],
      'accounts update',
      {
        ...common,
        showCredentials: true,
        id: 'acc_1',
        changes: { label: 'Acme HR' },
        output: record,
      },
    ],
    [
      'update clearing the label',
      ['accounts', 'update', 'acc_1', '--label', ''],
      'accounts update',
      { ...common, id: 'acc_1', changes: { label: '' }, output: record },
    ],
    [
      'update moving the account to a profile and sharing it',
      ['accounts', 'update', 'acc_1', '--connector-profile', 'cp_1', '--shared'],
      'accounts update',
      {
        ...common,
        id: 'acc_1',
        changes: { connector_profile_id: 'cp_1', shared: true },
        output: record,
      },
    ],
    [
      'update unsharing it',
      ['accounts', 'update', 'acc_1', '--no-shared'],
      'accounts update',
      { ...common, id: 'acc_1', changes: { shared: false }, output: record },
    ],
    [
      'delete, confirmed',
      ['accounts', 'delete', 'acc_1', '--yes'],
      'accounts delete',
      { ...common, id: 'acc_1', yes: true, dryRun: false, output: record },
    ],
    [
      'delete, dry run',
      ['accounts', 'delete', 'acc_1', '--dry-run', '-o', 'yaml'],
      'accounts delete',
      {
        ...common,
        id: 'acc_1',
        yes: false,
        dryRun: true,
        output: { format: 'yaml', field: undefined },
      },
    ],
  ])('%s', async (_name, argv, command, options) => {
    expect(await parseArgv(argv)).toEqual({ command, options });
  });

  it.each<[string, string[], string]>([
    [
      'a page size of 0',
      ['accounts', 'list', '--page-size', '0'],
      '--page-size: "0" is not a positive whole number',
    ],
    [
      'a limit that is not a number',
      ['accounts', 'list', '--limit', 'ten'],
      '--limit: "ten" is not a positive whole number',
    ],
    [
      'a timeout that is not a duration',
      ['accounts', 'get', 'a', '--timeout', 'soon'],
      '--timeout: "soon" is not a duration',
    ],
    [
      'a zero timeout',
      ['accounts', 'get', 'a', '--timeout', '0'],
      '--timeout: must be more than 0',
    ],
    [
      'a field accounts do not have',
      ['accounts', 'get', 'a', '--field', 'token'],
      'unknown --field "token"',
    ],
    [
      'a meta field from the account',
      ['accounts', 'meta', 'a', '--field', 'status'],
      'unknown --field "status"',
    ],
    [
      '--field with --json',
      ['accounts', 'list', '--field', 'id', '--json'],
      '--field prints one value per account',
    ],
    [
      'update with nothing to change',
      ['accounts', 'update', 'acc_1'],
      'nothing to change: give --label, --connector-profile, --shared or --no-shared',
    ],
    [
      'update to an empty connector profile',
      ['accounts', 'update', 'acc_1', '--connector-profile', ' '],
      '--connector-profile: must not be empty',
    ],
    ['get without an id', ['accounts', 'get'], "missing required argument 'id'"],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
