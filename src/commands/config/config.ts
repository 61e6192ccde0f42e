// `cst config`: organizations, projects and where their keys live. Verbs only; code loads on use.
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { addOutputOptions, examples } from '../shared.js';

export interface ConfigFlags {
  org?: string;
  orgId?: string;
  project?: string;
  projectId?: string;
  baseUrl?: string;
  apiKeyStdin?: boolean;
  keyEnv?: string;
  keyFile?: string;
  storage?: 'keyring' | 'file';
  default?: boolean;
  yes?: boolean;
  force?: boolean;
  output?: string;
  json?: boolean;
  field?: string;
}

export function configCommand(ctx: Context): Command {
  const run = async (
    verb: 'add' | 'list' | 'remove' | 'use' | 'path',
    args: string[],
    flags: ConfigFlags,
  ) => (await import('./run.js')).runConfig(verb, args, flags, ctx);
  const config = new Command('config')
    .description('Organizations, projects and their API keys')
    .addHelpText(
      'after',
      examples([
        'cst config add --org acme --project prod --api-key-stdin < key.txt',
        'cst config list',
        'cst config use acme prod',
      ]),
    );
  config
    .command('add')
    .description('Add or update a project; the key goes to the OS keyring, or a 0600 file')
    .option('--org <name>', 'organization name')
    .option('--org-id <id>', 'the StackOne organization id its keys must belong to')
    .option('--project <name>', 'project name')
    .option('--project-id <id>', 'the StackOne project id the key must belong to')
    .option('--base-url <url>', 'API base URL (default https://api.stackone.com)')
    .option('--api-key-stdin', 'read the API key from stdin (on a terminal cst asks, hidden)')
    .option('--key-env <name>', 'read the key from this environment variable at run time')
    .option('--key-file <path>', 'read the key from this file at run time')
    .addOption(
      new Option(
        '--storage <where>',
        'where a key read now is kept (default: keyring, else file)',
      ).choices(['keyring', 'file']),
    )
    .option('--default', 'make it the default project')
    .option('--force', 'replace the project if it exists (asked on a terminal)')
    .addHelpText(
      'after',
      examples([
        'pbpaste | cst config add --org acme --project prod --api-key-stdin --default',
        'cst config add --org acme --project ci --key-env ACME_STACKONE_KEY',
      ]),
    )
    .action((flags: ConfigFlags) => run('add', [], flags));
  addOutputOptions(
    config
      .command('list')
      .description('List projects, keys masked')
      .addHelpText('after', examples(['cst config list', 'cst config list --json'])),
  ).action((flags: ConfigFlags) => run('list', [], flags));
  config
    .command('remove')
    .description('Remove a project (and its stored key), or a whole organization')
    .argument('<org>')
    .argument('[project]')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', examples(['cst config remove acme staging --yes']))
    .action((org: string, project: string | undefined, flags: ConfigFlags) =>
      run('remove', project === undefined ? [org] : [org, project], flags),
    );
  config
    .command('use')
    .description('Make a project the default')
    .argument('<org>')
    .argument('[project]', 'needed when the organization has several')
    .addHelpText('after', examples(['cst config use acme prod']))
    .action((org: string, project: string | undefined, flags: ConfigFlags) =>
      run('use', project === undefined ? [org] : [org, project], flags),
    );
  config
    .command('path')
    .description('Print the path of the config file')
    .addHelpText('after', examples(['$EDITOR "$(cst config path)"']))
    .action((flags: ConfigFlags) => run('path', [], flags));
  return config;
}
