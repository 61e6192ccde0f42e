import { LIST_FIELDS } from '../../cmdutil/list-fields.js';
import * as z from 'zod/mini';
import { UsageError } from '../../core/errors.js';
import type { SessionStatus } from '../../ledger/query.js';
import { SESSION_STATES, type SessionState } from '../../ledger/states.js';
import { LIST_FORMATS } from '../../core/output/format.js';
import { parseOutputFlags } from '../../options/output.js';
import type { ListOutput } from '../../core/output/view.js';
import { parseWhen } from '../../core/util/time.js';
import {
  categoryList,
  durationMs,
  parseFlags,
  positiveInt,
  timeoutMs,
} from '../../options/parse.js';

export interface ListFlags {
  org?: string;
  project?: string;
  ownerId?: string;
  category?: string[];
  categories?: string[];
  status?: string;
  since?: string;
  until?: string;
  tokenStdin?: boolean;
  limit?: string;
  all?: boolean;
  sandbox?: boolean;
  linked?: boolean;
  refresh?: boolean;
  state?: string[];
  expiring?: string;
  summary?: boolean;
  timeout: string;
  output?: string;
  json?: boolean;
  field?: string;
}

export interface ListOptions {
  org: string | undefined;
  project: string | undefined;
  ownerId: string | undefined;
  categories: string[] | undefined;
  /** Deprecated --status: live or expired, whatever became of the link; 'all' unless given. */
  status: SessionStatus;
  /** --status was given: it works for a release, with a warning that names --state. */
  statusDeprecated: boolean;
  since: number | undefined;
  until: number | undefined;
  tokenStdin: boolean;
  limit: number;
  /** --limit was given: the rows left out were asked to be, and no note says so. */
  limitGiven: boolean;
  sandbox: boolean;
  linked: boolean;
  /** --refresh: read each open session back from StackOne and record what became of it. */
  refresh: boolean;
  /** --state: only sessions in these states. */
  states: SessionState[] | undefined;
  /** --expiring: only pending sessions that expire within this long. */
  expiringMs: number | undefined;
  summary: boolean;
  timeoutMs: number;
  output: ListOutput;
}

const STATUSES: readonly string[] = ['active', 'expired', 'all'];

/** What the deprecated --status said, in --state's words. */
export const STATUS_AS_STATE =
  'live sessions are --state pending (or pending,linked), the rest --state expired';

const listFlagsSchema = z.object({
  limit: positiveInt,
  categories: z.optional(categoryList),
  expiring: z.optional(durationMs),
  timeout: timeoutMs,
});

export function parseListOptions(flags: ListFlags, now: number): ListOptions {
  const parsed = parseFlags(listFlagsSchema, {
    limit: flags.limit ?? '50',
    timeout: flags.timeout,
    ...(flags.expiring === undefined ? {} : { expiring: flags.expiring }),
    ...(flags.category || flags.categories
      ? { categories: [...(flags.category ?? []), ...(flags.categories ?? [])] }
      : {}),
  });
  const when = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const at = parseWhen(text, now);
    if (at === undefined)
      throw new UsageError(`${flag}: "${text}" is neither a date (2026-11-01) nor a duration (7d)`);
    return at;
  };
  const output = parseOutputFlags(flags, LIST_FIELDS, LIST_FORMATS, 'one value per session');
  const states = flags.state?.flatMap((list) => list.split(',')).map((s) => s.trim());
  const unknown = states?.find((state) => !(SESSION_STATES as readonly string[]).includes(state));
  if (unknown !== undefined)
    throw new UsageError(`--state: "${unknown}" is not one of ${SESSION_STATES.join(', ')}`, {
      ...(STATUSES.includes(unknown)
        ? { hint: `"${unknown}" was a value of the deprecated --status; ${STATUS_AS_STATE}` }
        : {}),
    });
  if (flags.status !== undefined && !STATUSES.includes(flags.status))
    throw new UsageError(`--status: "${flags.status}" is not one of ${STATUSES.join(', ')}`, {
      hint: (SESSION_STATES as readonly string[]).includes(flags.status)
        ? `"${flags.status}" is a state: --state ${flags.status}`
        : `--status is deprecated: ${STATUS_AS_STATE}`,
    });
  if (flags.summary && flags.field !== undefined)
    throw new UsageError('--summary prints a table of counts: drop --field');
  return {
    org: flags.org,
    project: flags.project,
    ownerId: flags.ownerId,
    categories: parsed.categories,
    status: (flags.status ?? 'all') as SessionStatus,
    statusDeprecated: flags.status !== undefined,
    since: when('--since', flags.since),
    until: when('--until', flags.until),
    tokenStdin: flags.tokenStdin === true,
    limit: flags.all ? Infinity : parsed.limit,
    limitGiven: flags.limit !== undefined,
    sandbox: flags.sandbox === true,
    linked: flags.linked === true,
    refresh: flags.refresh === true,
    states: states as SessionState[] | undefined,
    expiringMs: parsed.expiring,
    summary: flags.summary === true,
    timeoutMs: parsed.timeout,
    output,
  };
}
