// Raw doctor flags → typed DoctorOptions.
import * as z from 'zod/mini';
import { parseFlags, timeoutMs } from '../../options/parse.js';

export interface DoctorFlags {
  org?: string;
  project?: string;
  json?: boolean;
  verbose?: boolean;
  timeout: string;
}

export interface DoctorOptions {
  /** The project to check, as --org/--project name it (never --sandbox: doctor checks setup). */
  selection: { org?: string; project?: string };
  /** For each reachability check and the key check. */
  timeoutMs: number;
  json: boolean;
  /** The raw reason behind a failed check (a keyring's D-Bus error), not only its plain line. */
  verbose: boolean;
}

const schema = z.object({ timeout: timeoutMs });

export function parseDoctorOptions(flags: DoctorFlags): DoctorOptions {
  const { timeout } = parseFlags(schema, flags);
  return {
    selection: {
      ...(flags.org === undefined ? {} : { org: flags.org }),
      ...(flags.project === undefined ? {} : { project: flags.project }),
    },
    timeoutMs: timeout,
    json: flags.json === true,
    verbose: flags.verbose === true,
  };
}
