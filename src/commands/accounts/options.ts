// Raw accounts flags → typed options, one shape per verb. Every problem is a UsageError naming
// the flag; the runners never see a flag string.
import { ACCOUNT_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import { LIST_FORMATS, type ListFormat, type OutputOptions } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { parseFlags, positiveInt, timeoutMs } from '../../options/parse.js';
import { type TargetFlags, targetFlags } from '../../options/target.js';
import { UsageError } from '../../core/errors.js';

export interface AccountsFlags extends OutputFlags {
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
  showCredentials?: boolean;
  provider?: string[];
  ownerId?: string[];
  accountId?: string[];
  status?: string[];
  pageSize: string;
  limit: string;
  all?: boolean;
  label?: string;
  connectorProfile?: string;
  shared?: boolean;
  yes?: boolean;
  dryRun?: boolean;
}

interface Common {
  target: TargetFlags;
  timeoutMs: number;
  /** --show-credentials: credentials and setup_information as StackOne sent them. */
  showCredentials: boolean;
}

export interface AccountsListOptions extends Common {
  /** --connector-profile: kept by cst after the pages come back; GET /accounts has no filter. */
  connectorProfileId: string | undefined;
  filter: {
    providers: string[] | undefined;
    originOwnerIds: string[] | undefined;
    accountIds: string[] | undefined;
    status: string[] | undefined;
  };
  pageSize: number;
  /** Infinity with --all. */
  limit: number;
  output: { format: ListFormat | undefined; field: string | undefined };
}

export interface AccountOptions extends Common {
  id: string;
  output: OutputOptions;
}

export interface AccountUpdateOptions extends AccountOptions {
  /** The PATCH body: only what was asked for, in wire names. */
  changes: { label?: string; connector_profile_id?: string; shared?: boolean };
}

export interface AccountDeleteOptions extends AccountOptions {
  yes: boolean;
  /** Show the account that would be deleted; delete nothing. */
  dryRun: boolean;
}

const commonSchema = z.object({ timeout: timeoutMs });
const listSchema = z.object({ timeout: timeoutMs, pageSize: positiveInt, limit: positiveInt });

function common(flags: AccountsFlags): Common {
  const { timeout } = parseFlags(commonSchema, flags);
  return {
    target: targetFlags(flags),
    timeoutMs: timeout,
    showCredentials: flags.showCredentials === true,
  };
}

export function parseAccountsListOptions(flags: AccountsFlags): AccountsListOptions {
  const output = parseOutputFlags(flags, ACCOUNT_FIELDS, LIST_FORMATS, 'one value per account');
  const parsed = parseFlags(listSchema, flags);
  return {
    ...common(flags),
    connectorProfileId: flags.connectorProfile,
    filter: {
      providers: flags.provider,
      originOwnerIds: flags.ownerId,
      accountIds: flags.accountId,
      status: flags.status,
    },
    pageSize: parsed.pageSize,
    limit: flags.all ? Infinity : parsed.limit,
    output,
  };
}

export function parseAccountOptions(
  id: string,
  flags: AccountsFlags,
  fields: readonly string[] = ACCOUNT_FIELDS,
): AccountOptions {
  return { ...common(flags), id, output: parseOutputFlags(flags, fields) };
}

export function parseAccountUpdateOptions(id: string, flags: AccountsFlags): AccountUpdateOptions {
  // An empty --label clears the label, which is a real wish; an empty profile id is a slip.
  if (flags.connectorProfile !== undefined && flags.connectorProfile.trim() === '')
    throw new UsageError('--connector-profile: must not be empty');
  const changes = {
    ...(flags.label === undefined ? {} : { label: flags.label }),
    ...(flags.connectorProfile === undefined
      ? {}
      : { connector_profile_id: flags.connectorProfile.trim() }),
    ...(flags.shared === undefined ? {} : { shared: flags.shared }),
  };
  if (Object.keys(changes).length === 0)
    throw new UsageError(
      'nothing to change: give --label, --connector-profile, --shared or --no-shared',
    );
  return { ...parseAccountOptions(id, flags), changes };
}

export function parseAccountDeleteOptions(id: string, flags: AccountsFlags): AccountDeleteOptions {
  return {
    ...parseAccountOptions(id, flags),
    yes: flags.yes === true,
    dryRun: flags.dryRun === true,
  };
}
