// `cst doctor`: flags and help only.
import { Command } from 'commander';
import type { CommandContext } from '../../connection.js';
import { examples } from '../shared.js';

export interface DoctorFlags {
  org?: string;
  project?: string;
  json?: boolean;
  timeout: string;
}

export function doctorCommand(ctx: CommandContext): Command {
  return new Command('doctor')
    .description('Check configuration, credentials, files, keyring, proxy and reachability')
    .option('--org <name>', 'check this organization (env: CST_ORG)')
    .option('--project <name>', 'check this project (env: CST_PROJECT)')
    .option('--timeout <duration>', 'time limit for each reachability check', '5s')
    .option('--json', 'print the checks as one JSON array')
    .addHelpText('after', examples(['cst doctor', 'cst doctor --org acme --project prod --json']))
    .action(async (flags: DoctorFlags) => (await import('./run.js')).runDoctor(flags, ctx));
}
