// `cst config`: organizations, projects and where their keys live. Verbs only; code loads on use.
import { Command, Option } from 'commander';
import { addOutputOptions, type Dispatch, examples } from '../../cmdutil/shared.js';
import type { ConfigFlags } from './options.js';

export function configCommand(run: Dispatch): Command {
  const options = () => import('./options.js');
  const runners = () => import('./run.js');
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
    .option('--json', 'print what was saved as one JSON object')
    .addHelpText(
      'after',
      examples([
        'pbpaste | cst config add --org acme --project prod --api-key-stdin --default',
        'cst config add --org acme --project ci --key-env ACME_STACKONE_KEY',
      ]),
    )
    .action(async (flags: ConfigFlags) =>
      run(
        'config add',
        (await options()).parseConfigAddOptions(flags),
        async () => (await runners()).runConfigAdd,
      ),
    );
  addOutputOptions(
    config
      .command('list')
      .description('List projects, keys masked')
      .addHelpText('after', examples(['cst config list', 'cst config list --json'])),
  ).action(async (flags: ConfigFlags) =>
    run(
      'config list',
      (await options()).parseConfigListOptions(flags),
      async () => (await runners()).runConfigList,
    ),
  );
  config
    .command('remove')
    .description('Remove a project (and its stored key), or a whole organization')
    .argument('<org>', 'the organization, or org/project')
    .argument('[project]')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--json', 'print what was removed as one JSON object')
    .addHelpText('after', examples(['cst config remove acme staging --yes']))
    .action(async (org: string, project: string | undefined, flags: ConfigFlags) =>
      run(
        'config remove',
        (await options()).parseConfigRemoveOptions(org, project, flags),
        async () => (await runners()).runConfigRemove,
      ),
    );
  config
    .command('use')
    .description('Make a project the default')
    .argument('<org>', 'the organization, or org/project')
    .argument('[project]', 'needed when the organization has several')
    .option('--json', 'print the new default (and the one it replaced) as one JSON object')
    .addHelpText('after', examples(['cst config use acme prod', 'cst config use acme/prod']))
    .action(async (org: string, project: string | undefined, flags: ConfigFlags) =>
      run(
        'config use',
        (await options()).parseConfigUseOptions(org, project, flags),
        async () => (await runners()).runConfigUse,
      ),
    );
  config
    .command('path')
    .description('Print the path of the config file')
    .addHelpText('after', examples(['$EDITOR "$(cst config path)"']))
    .action(async () => run('config path', {}, async () => (await runners()).runConfigPath));
  return config;
}
