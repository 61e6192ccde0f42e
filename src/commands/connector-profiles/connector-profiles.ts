// `cst connector-profiles`: a project's connector profiles (StackOne since 2026-06). Registers
// the verbs; each loads its code on use.
import { Command, Option } from 'commander';
import {
  addOutputOptions,
  addTargetOptions,
  type Dispatch,
  examples,
} from '../../cmdutil/shared.js';
import { LIST_FORMATS } from '../../core/output/format.js';
import type { ProfilesFlags } from './options.js';

export function connectorProfilesCommand(run: Dispatch): Command {
  const profiles = new Command('connector-profiles')
    .description("Connector profiles: the project's configured connectors and their versions")
    .addHelpText(
      'after',
      examples([
        'cst connector-profiles list --enabled',
        'cst connector-profiles pin cp_123 2.0.0 --yes',
      ]),
    );
  const options = () => import('./options.js');
  const runners = () => import('./run.js');
  const listOutput = (command: Command, each: string) =>
    command
      .addOption(new Option('-o, --output <format>', 'output format').choices(LIST_FORMATS))
      .option('--json', 'print one JSON array')
      .option('--field <name>', `print one field of each ${each}, one per line`);

  const list = new Command('list')
    .description('List connector profiles (GET /connector_profiles)')
    .option('--connector <key>', 'only profiles of this connector (bamboohr, greenhouse, …)')
    .option('--enabled', 'only enabled profiles')
    .option('--disabled', 'only disabled profiles')
    .option('--page-size <n>', 'profiles per request', '25')
    .option('--limit <n>', 'show at most this many', '50')
    .option('--all', 'walk every page');
  addTargetOptions(list);
  listOutput(list, 'profile')
    .addHelpText(
      'after',
      examples([
        'cst connector-profiles list --connector bamboohr',
        'cst connector-profiles list --enabled --all --json',
      ]),
    )
    .action(async (flags: ProfilesFlags) =>
      run(
        'connector-profiles list',
        (await options()).parseProfilesListOptions(flags),
        async () => (await runners()).runProfilesList,
      ),
    );

  const versions = new Command('versions')
    .description("The versions of a profile's connector, and which is pinned")
    .argument('<id>', 'connector profile id');
  addTargetOptions(versions);
  listOutput(versions, 'version')
    .addHelpText('after', examples(['cst connector-profiles versions cp_123']))
    .action(async (id: string, flags: ProfilesFlags) =>
      run(
        'connector-profiles versions',
        (await options()).parseVersionsOptions(id, flags),
        async () => (await runners()).runProfileVersions,
      ),
    );

  const change = (command: Command) => {
    addTargetOptions(command);
    return addOutputOptions(
      command
        .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
        .option('--dry-run', 'print the request; send nothing'),
    );
  };
  const pin = change(
    new Command('pin')
      .description('Pin a profile to one version of its connector (PUT …/pinned_version)')
      .argument('<id>', 'connector profile id')
      .argument('<version>', "the version, as 'versions' lists it")
      .option('--owner <owner>', 'the owner of the version, where several publish it'),
  )
    .addHelpText('after', examples(['cst connector-profiles pin cp_123 2.0.0 --dry-run']))
    .action(async (id: string, version: string, flags: ProfilesFlags) =>
      run(
        'connector-profiles pin',
        (await options()).parsePinOptions(id, version, flags),
        async () => (await runners()).runProfilePin,
      ),
    );
  const unpin = change(
    new Command('unpin')
      .description('Unpin a profile: it follows the latest version again (DELETE …/pinned_version)')
      .argument('<id>', 'connector profile id'),
  )
    .addHelpText('after', examples(['cst connector-profiles unpin cp_123 --yes']))
    .action(async (id: string, flags: ProfilesFlags) =>
      run(
        'connector-profiles unpin',
        (await options()).parsePinOptions(id, undefined, flags),
        async () => (await runners()).runProfilePin,
      ),
    );

  for (const verb of [list, versions, pin, unpin]) profiles.addCommand(verb);
  return profiles;
}
