// What TAB offers: subcommands, the current command's flags, and the values of the flags that
// have a known set (categories, formats, configured organizations and projects, and the
// project's connector profiles).
import type { Command, Option } from 'commander';
import { CATEGORIES, SESSION_TYPES } from '../../api/constants.js';
import { type ConfigFile, loadConfig } from '../../config/config-file.js';
import { configFile } from '../../config/paths.js';
import type { CommandContext } from '../../connection/connection.js';
import { SESSION_STATES } from '../../ledger/states.js';
import { TOPIC_NAMES } from '../../cmdutil/shared.js';

/** Formats only a bulk run prints (`create --from-file`). */
const BULK_FORMATS: readonly string[] = ['csv', 'ndjson'];

export async function candidates(
  ctx: CommandContext,
  program: Command,
  words: string[],
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let command = program;
  for (const word of before) {
    const sub = command.commands.find((c) => c.name() === word);
    if (sub) command = sub;
  }
  const previous = before.at(-1);
  const option = previous?.startsWith('-') ? findOption(command, previous) : undefined;
  let values: string[];
  if (option && (option.required || option.optional)) {
    values = await optionValues(ctx, option, before);
  } else if (current.startsWith('-')) {
    values = [...command.options, ...program.options]
      // A deprecated flag still works, but is not offered.
      .filter((o) => !o.description.startsWith('deprecated'))
      .flatMap((o) => [o.long, o.short])
      .filter((f): f is string => f !== undefined);
  } else {
    values = command.commands.filter((c) => !c.name().startsWith('__')).map((c) => c.name());
    values.push(...command.registeredArguments.flatMap((argument) => argument.argChoices ?? []));
    if (command.name() === 'help')
      values.push(
        ...TOPIC_NAMES,
        ...program.commands.filter((c) => !c.name().startsWith('__')).map((c) => c.name()),
      );
  }
  const listPrefix =
    option && /categor/.test(option.long ?? '')
      ? current.slice(0, current.lastIndexOf(',') + 1)
      : '';
  return [...new Set(values)]
    .map((v) => listPrefix + v)
    .filter((v) => v.startsWith(current))
    .sort();
}

function findOption(command: Command, flag: string): Option | undefined {
  for (let c: Command | null = command; c; c = c.parent) {
    const found = c.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

/** Values the command line so far accepts: a single create takes no bulk-only format. */
async function optionValues(
  ctx: CommandContext,
  option: Option,
  before: string[],
): Promise<string[]> {
  if (option.long === '--output' && before[0] === 'create' && !before.includes('--from-file'))
    return (option.argChoices ?? []).filter((format) => !BULK_FORMATS.includes(format));
  if (option.argChoices) return option.argChoices;
  switch (option.long) {
    case '--state':
      return [...SESSION_STATES];
    case '--categories':
    case '--category':
      return [...CATEGORIES];
    case '--type':
      return [...SESSION_TYPES];
    case '--org':
    case '--project': {
      const config = await loadConfig(configFile(ctx.env)).catch((): ConfigFile => ({
        organizations: {},
      }));
      if (option.long === '--org') return Object.keys(config.organizations);
      const org = before[before.indexOf('--org') + 1];
      const orgs =
        org !== undefined && before.includes('--org') ? [org] : Object.keys(config.organizations);
      return orgs.flatMap((name) => Object.keys(config.organizations[name]?.projects ?? {}));
    }
    case '--connector-profile': {
      const { profileIds } = await import('./profiles.js');
      const flag = (name: string) =>
        before.includes(name) ? before[before.indexOf(name) + 1] : undefined;
      return profileIds(ctx, {
        org: flag('--org'),
        project: flag('--project'),
        sandbox: before.includes('--sandbox') || undefined,
      });
    }
    default:
      return [];
  }
}
