// Level A: cst config command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const add = {
  org: undefined,
  project: undefined,
  orgId: undefined,
  projectId: undefined,
  baseUrl: undefined,
  key: { kind: 'prompt' },
  storage: undefined,
  makeDefault: false,
  force: false,
  json: false,
};

describe('cst config: parsing', () => {
  it.each<[string, string[], string, unknown]>([
    ['add with nothing: everything asked on a terminal', ['config', 'add'], 'config add', add],
    [
      'add with the key on stdin, made the default',
      [
        'config',
        'add',
        '--org',
        'acme',
        '--project',
        'prod',
        '--api-key-stdin',
        '--default',
        '--json',
      ],
      'config add',
      {
        ...add,
        org: 'acme',
        project: 'prod',
        key: { kind: 'stdin' },
        makeDefault: true,
        json: true,
      },
    ],
    [
      'add reading the key from the environment, with ids and a base URL',
      [
        'config',
        'add',
        '--org',
        'acme',
        '--org-id',
        'org_1',
        '--project',
        'ci',
        '--project-id',
        'p_1',
        '--base-url',
        'https://eu.api.stackone.com',
        '--key-env',
        'ACME_KEY',
        '--force',
      ],
      'config add',
      {
        ...add,
        org: 'acme',
        orgId: 'org_1',
        project: 'ci',
        projectId: 'p_1',
        baseUrl: 'https://eu.api.stackone.com',
        key: { kind: 'env', name: 'ACME_KEY' },
        force: true,
      },
    ],
    [
      'add from a key file, kept as a file',
      [
        'config',
        'add',
        '--org',
        'a',
        '--project',
        'b',
        '--key-file',
        '~/k.txt',
        '--storage',
        'file',
      ],
      'config add',
      { ...add, org: 'a', project: 'b', key: { kind: 'file', path: '~/k.txt' }, storage: 'file' },
    ],
    [
      'list',
      ['config', 'list'],
      'config list',
      { output: { format: undefined, field: undefined } },
    ],
    [
      'list, one field',
      ['config', 'list', '--field', 'key_source'],
      'config list',
      { output: { format: undefined, field: 'key_source' } },
    ],
    [
      'remove a project',
      ['config', 'remove', 'acme', 'prod', '--yes', '--json'],
      'config remove',
      { org: 'acme', project: 'prod', yes: true, json: true },
    ],
    [
      'remove an organization',
      ['config', 'remove', 'acme'],
      'config remove',
      { org: 'acme', project: undefined, yes: false, json: false },
    ],
    [
      'use a project',
      ['config', 'use', 'acme', 'prod', '--json'],
      'config use',
      { org: 'acme', project: 'prod', json: true },
    ],
    [
      'use an organization of one project',
      ['config', 'use', 'acme'],
      'config use',
      { org: 'acme', project: undefined, json: false },
    ],
    ['path', ['config', 'path'], 'config path', {}],
  ])('%s', async (_name, argv, command, options) => {
    expect(await parseArgv(argv)).toEqual({ command, options });
  });

  it.each<[string, string[], string]>([
    [
      'two ways to give the key',
      ['config', 'add', '--api-key-stdin', '--key-env', 'K'],
      'give the key one way: --api-key-stdin, --key-env are exclusive',
    ],
    ['a name with a slash', ['config', 'add', '--org', 'a/b'], '--org: "a/b" is not a valid name'],
    [
      'a hidden project name',
      ['config', 'add', '--project', '.x'],
      '--project: ".x" is not a valid name',
    ],
    [
      'a base URL without a scheme',
      ['config', 'add', '--base-url', 'api.stackone.com'],
      '--base-url: "api.stackone.com" is not an http(s) URL',
    ],
    [
      'plain http to a host off this machine (every later call would refuse it)',
      ['config', 'add', '--base-url', 'http://example.com'],
      '--base-url: refusing to send the API key over plain http to example.com',
    ],
    [
      'an env name with a dash',
      ['config', 'add', '--key-env', 'ACME-KEY'],
      '--key-env: "ACME-KEY" is not an environment variable name',
    ],
    ['an unknown storage', ['config', 'add', '--storage', 'vault'], "argument 'vault' is invalid"],
    [
      'a field projects do not have',
      ['config', 'list', '--field', 'token'],
      'unknown --field "token"',
    ],
    ['remove without an organization', ['config', 'remove'], "missing required argument 'org'"],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
