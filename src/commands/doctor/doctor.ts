// `cst doctor`: flags and help only.
import { Command } from 'commander';
import { type Dispatch, examples } from '../../cmdutil/shared.js';
import type { DoctorFlags } from './options.js';

export function doctorCommand(run: Dispatch): Command {
  return new Command('doctor')
    .description('Check configuration, credentials, files, keyring, proxy and reachability')
    .option('--org <name>', 'check this organization (env: CST_ORG)')
    .option('--project <name>', 'check this project (env: CST_PROJECT)')
    .option('--timeout <duration>', 'time limit for each reachability check', '5s')
    .option('--json', 'print the checks as one JSON array')
    .option('--verbose', "say the raw reason behind a failed check (the keyring library's error)")
    .addHelpText(
      'after',
      examples([
        'cst doctor',
        'cst doctor --verbose',
        'cst doctor --org acme --project prod --json',
      ]),
    )
    .action(async (flags: DoctorFlags) => {
      const { parseDoctorOptions } = await import('./options.js');
      await run(
        'doctor',
        parseDoctorOptions(flags),
        async () => (await import('./run.js')).runDoctor,
      );
    });
}
