// Flags that mean the same thing in every command, defined once. Commander only: this file is
// on the help path.
import { type Command, Option } from 'commander';
import type { CommandContext } from '../connection/connection.js';
import { RECORD_FORMATS } from '../core/output/format.js';

/** A command's work: typed options in, output and an exit code (by throwing) out. */
export type Runner<O> = (options: O, ctx: CommandContext) => Promise<void>;

/**
 * How an action hands its typed options to its runner. The program's dispatch loads the runner
 * and calls it; a parse test's dispatch keeps the options instead, so every command line can be
 * checked for the options it turns into without running anything.
 */
export type Dispatch = <O>(
  command: string,
  options: O,
  load: () => Promise<Runner<O>>,
) => Promise<void>;

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addTargetOptions(command: Command): Command {
  return command
    .option('--org <name>', 'organization from the config (env: CST_ORG)')
    .option('--project <name>', 'project of that organization (env: CST_PROJECT)')
    .option('--sandbox', 'use the built-in local sandbox instead of StackOne')
    .option('--timeout <duration>', 'time limit for each HTTP attempt', '30s');
}

export function addOutputOptions(
  command: Command,
  formats: readonly string[] = RECORD_FORMATS,
  description = 'output format',
): Command {
  return command
    .addOption(new Option('-o, --output <format>', description).choices(formats))
    .option('--json', 'print JSON (short for --output json)')
    .option('--field <name>', 'print one field alone (which: cst help fields)');
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

/** The topics of `cst help`, besides the commands: for help and for completion. */
export const TOPIC_NAMES = [
  'bulk',
  'categories',
  'environment',
  'exit-codes',
  'formatting',
] as const;

/** The heading of create's bulk flags in its help; `cst help bulk` lists them all. */
export const BULK_GROUP = 'Bulk options (all of them: cst help bulk):';

/**
 * Defaults of flags more than one command takes, or that are parsed apart from commander: the
 * one place they are written, for the help and for the parsers.
 */
export const FLAG_DEFAULTS = {
  interval: '3s',
  waitTimeout: '15m',
  concurrency: '8',
  maxNetworkFailures: '10',
  /** Just under StackOne's 1000 requests per minute per key. */
  rate: '975/min',
  /** How long a shared store holds a claimed row for a runner that stopped answering. */
  lease: '2m',
} as const;
