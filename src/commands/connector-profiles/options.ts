// Raw connector-profiles flags → typed options, one shape per verb. Every problem is a
// UsageError naming the flag; the runners never see a flag string.
import * as z from 'zod/mini';
import { PIN_FIELDS, PROFILE_FIELDS, VERSION_FIELDS } from '../../cmdutil/fields.js';
import { UsageError } from '../../core/errors.js';
import { LIST_FORMATS, type ListFormat, type OutputOptions } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { parseFlags, positiveInt, timeoutMs } from '../../options/parse.js';
import { type TargetFlags, targetFlags } from '../../options/target.js';

export interface ProfilesFlags extends OutputFlags {
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
  connector?: string;
  enabled?: boolean;
  disabled?: boolean;
  pageSize?: string;
  limit?: string;
  all?: boolean;
  owner?: string;
  yes?: boolean;
  dryRun?: boolean;
}

interface Common {
  target: TargetFlags;
  timeoutMs: number;
}

export interface ProfilesListOptions extends Common {
  filter: { connectorKey: string | undefined; enabled: boolean | undefined };
  pageSize: number;
  /** Infinity with --all. */
  limit: number;
  output: { format: ListFormat | undefined; field: string | undefined };
}

export interface ProfileOptions extends Common {
  id: string;
  output: OutputOptions;
}

export interface PinOptions extends ProfileOptions {
  /** Absent for unpin. */
  version: string | undefined;
  owner: string | undefined;
  yes: boolean;
  dryRun: boolean;
}

const commonSchema = z.object({ timeout: timeoutMs });
const listSchema = z.object({ timeout: timeoutMs, pageSize: positiveInt, limit: positiveInt });

function common(flags: ProfilesFlags): Common {
  return { target: targetFlags(flags), timeoutMs: parseFlags(commonSchema, flags).timeout };
}

export function parseProfilesListOptions(flags: ProfilesFlags): ProfilesListOptions {
  if (flags.enabled && flags.disabled)
    throw new UsageError('give --enabled or --disabled, not both');
  if (flags.connector !== undefined && flags.connector.trim() === '')
    throw new UsageError('--connector: must not be empty');
  const output = parseOutputFlags(flags, PROFILE_FIELDS, LIST_FORMATS, 'one value per profile');
  const parsed = parseFlags(listSchema, {
    timeout: flags.timeout,
    pageSize: flags.pageSize ?? '25',
    limit: flags.limit ?? '50',
  });
  return {
    ...common(flags),
    filter: {
      connectorKey: flags.connector?.trim(),
      enabled: flags.enabled ? true : flags.disabled ? false : undefined,
    },
    pageSize: parsed.pageSize,
    limit: flags.all ? Infinity : parsed.limit,
    output,
  };
}

export interface VersionsOptions extends Common {
  id: string;
  output: { format: ListFormat | undefined; field: string | undefined };
}

export function parseVersionsOptions(id: string, flags: ProfilesFlags): VersionsOptions {
  return {
    ...common(flags),
    id: nonEmpty(id, 'the profile id'),
    output: parseOutputFlags(flags, VERSION_FIELDS, LIST_FORMATS, 'one value per version'),
  };
}

export function parsePinOptions(
  id: string,
  version: string | undefined,
  flags: ProfilesFlags,
): PinOptions {
  return {
    ...common(flags),
    id: nonEmpty(id, 'the profile id'),
    version: version === undefined ? undefined : nonEmpty(version, 'the version'),
    owner: flags.owner,
    yes: flags.yes === true,
    dryRun: flags.dryRun === true,
    output: parseOutputFlags(flags, PIN_FIELDS),
  };
}

function nonEmpty(text: string, what: string): string {
  if (text.trim() === '') throw new UsageError(`${what} must not be empty`);
  return text.trim();
}
