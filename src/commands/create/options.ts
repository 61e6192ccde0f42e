// Raw create flags → typed CreateOptions. Every problem is a UsageError naming the flag.
import { FLAG_DEFAULTS } from '../../cmdutil/shared.js';
import { CREATE_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import {
  type ConnectSessionCreate,
  type Field,
  FLAGGED_FIELDS,
  type RequestField,
  setTwice,
} from '../../api/request-fields.js';
import type { TargetFlags } from '../../options/target.js';
import { UsageError } from '../../core/errors.js';
import type { OutputOptions } from '../../core/output/format.js';
import { parseOutputFlags } from '../../options/output.js';
import type { BulkPlan } from '../../session/bulk/plan.js';
import { DEFAULT_RESULT_COLUMNS, RESULT_COLUMNS } from '../../session/bulk/columns.js';
import {
  categoryList,
  intervalMs,
  timerMs,
  expiresInSeconds,
  jsonObject,
  keyValues,
  sessionId,
  timeoutMs,
  parseFlags,
  nameList,
  rate,
  wholeNumberFrom,
} from '../../options/parse.js';

/** commander's key for a flag name: owner-id → ownerId. */
type FlagKey<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<FlagKey<Tail>>}`
  : Name;

/** The keys a request field's flags arrive under: an object's `-json` twin too. */
type RequestFlagKeys<F> = F extends { flag: { name: infer Name extends string }; kind: infer Kind }
  ? Kind extends 'object'
    ? FlagKey<Name> | `${FlagKey<Name>}Json`
    : FlagKey<Name>
  : never;

/** The request's flags, keyed as commander names them, one key per flag of the field table. */
type RequestFlags = {
  readonly [K in RequestFlagKeys<Field>]?: string | string[] | boolean;
};

export interface CreateFlags extends RequestFlags {
  wait?: boolean;
  copy?: boolean;
  open?: boolean;
  interval?: string;
  waitTimeout?: string;
  bodyJson?: string;
  fromSession?: string;
  fromFile?: string;
  strict?: boolean;
  results?: string;
  columns?: string;
  showSecrets?: boolean;
  concurrency?: string;
  rate?: string;
  maxNetworkFailures?: string;
  lease?: string;
  shard?: string;
  journal?: string;
  retryUnknown?: boolean;
  force?: boolean;
  dryRun?: boolean;
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
  output?: string;
  json?: boolean;
  field?: string;
}

export interface CreateOptions {
  /** The request fields the user set; owner id and name may still be missing (prompted later). */
  request: Partial<ConnectSessionCreate>;
  /** --body-json: merged into the wire body last. */
  extraBody: Record<string, unknown> | undefined;
  /** --from-session: reissue for the owner of this ledger record. */
  fromSession?: number | undefined;
  /** --dry-run: print the requests, send nothing. */
  dryRun: boolean;
  /** --strict: a --connector-profile the project does not list is a usage error, not a warning. */
  strict: boolean;
  /** --from-file: many rows, with the flags as defaults for each; the bulk engine's whole plan. */
  bulk?: BulkPlan | undefined;
  target: TargetFlags;
  timeoutMs: number;
  output: OutputOptions;
  /** --copy and --open: hand the auth link over at a terminal. */
  handoff: { copy: boolean; open: boolean };
  /** --wait: after the create, wait for the customer like `cst wait`. */
  wait?: { intervalMs: number; waitTimeoutMs: number } | undefined;
}

const nonEmpty = z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty')));
const flag = z.optional(z.boolean());

/** commander's key for a flag: owner-id → ownerId. */
const flagKey = (name: string) =>
  name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** How each kind of request field reads from a flag. */
function flagParser(field: RequestField): z.ZodMiniType {
  switch (field.kind) {
    case 'text':
      return nonEmpty;
    case 'label':
      return z.optional(z.string());
    case 'categories':
      return z.optional(categoryList);
    case 'seconds':
      return z.optional(expiresInSeconds);
    case 'object':
      return z.optional(keyValues);
    case 'boolean':
      return flag;
    case 'choice': {
      const choices: readonly string[] = field.choices ?? [];
      return z.optional(
        z
          .string()
          .check(
            z.refine(
              (value: string) => choices.includes(value),
              `must be one of ${choices.join(', ')}`,
            ),
          ),
      );
    }
  }
}

/** Every request field's flag (and an object's `-json` twin), parsed by its kind. */
const requestFlagsSchema = z.object(
  Object.fromEntries(
    FLAGGED_FIELDS.flatMap((field) => {
      const key = flagKey(field.flag.name);
      return [
        [key, flagParser(field)],
        ...(field.kind === 'object' ? [[`${key}Json`, z.optional(jsonObject)]] : []),
      ];
    }),
  ),
);

/** The request fields the flags set, and only those. */
function requestFromFlags(parsed: Record<string, unknown>): Partial<ConnectSessionCreate> {
  const request: Record<string, unknown> = {};
  for (const field of FLAGGED_FIELDS) {
    const key = flagKey(field.flag.name);
    // --metadata pairs override the keys of --metadata-json.
    const value =
      field.kind === 'object' && (parsed[`${key}Json`] || parsed[key])
        ? { ...(parsed[`${key}Json`] as object), ...(parsed[key] as object) }
        : parsed[key];
    if (value !== undefined) request[field.key] = value;
  }
  return request;
}

const createFlagsSchema = z.object({
  bodyJson: z.optional(jsonObject),
  fromSession: z.optional(sessionId),
  org: nonEmpty,
  project: nonEmpty,
  sandbox: flag,
  timeout: timeoutMs,
  interval: intervalMs,
  waitTimeout: timerMs,
});

/**
 * `bulkGiven`: the bulk flags given on the command line (their long names), which mean nothing
 * without --from-file; the command's help group says which flags those are.
 */
export function parseCreateOptions(
  flags: CreateFlags,
  bulkGiven: readonly string[] = [],
): CreateOptions {
  const bulk = flags.fromFile === undefined ? undefined : parseBulkFlags(flags.fromFile, flags);
  if (!bulk) {
    // --strict also guards a single create's --connector-profile.
    const bulkOnly = bulkGiven.filter((name) => name !== '--strict');
    if (bulkOnly[0] !== undefined)
      throw new UsageError(`${bulkOnly[0]} is for bulk runs: add --from-file`);
    if (flags.output === 'csv' || flags.output === 'ndjson')
      throw new UsageError(
        `--output ${flags.output} is for bulk runs; use table, json, yaml or tsv`,
      );
  }
  if (bulk && (flags.copy || flags.open))
    throw new UsageError('--copy and --open are for a single create');
  if (bulk && flags.wait)
    throw new UsageError('--wait is for a single create; for a bulk run, cst wait --session <id>');
  if (bulk && flags.fromSession !== undefined)
    throw new UsageError('--from-session and --from-file do not go together');
  const output = bulk
    ? { format: undefined, field: undefined }
    : parseOutputFlags(flags, CREATE_FIELDS);
  const request = requestFromFlags(parseFlags(requestFlagsSchema, flags));
  if (!bulk && flags.strict && request.connectorProfileId === undefined)
    throw new UsageError(
      '--strict checks a bulk run or a --connector-profile: add --from-file or --connector-profile',
    );
  const f = parseFlags(createFlagsSchema, {
    ...flags,
    interval: flags.interval ?? FLAG_DEFAULTS.interval,
    waitTimeout: flags.waitTimeout ?? FLAG_DEFAULTS.waitTimeout,
  });
  const twice = setTwice(request);
  if (twice) {
    const [old, now] = [twice.deprecated, twice.replacement].map((f) => `--${f.flag?.name}`);
    throw new UsageError(`${old} and ${now} name the same thing: use ${now}`);
  }
  if (f.bodyJson && Object.keys(f.bodyJson).length === 0)
    throw new UsageError('--body-json: the object is empty');
  const target = defined({ org: f.org, project: f.project, sandbox: f.sandbox });
  const dryRun = flags.dryRun === true;
  return {
    request,
    extraBody: f.bodyJson,
    dryRun,
    strict: flags.strict === true,
    bulk: bulk && {
      ...bulk,
      defaults: request,
      extraBody: f.bodyJson,
      target,
      timeoutMs: f.timeout,
      dryRun,
    },
    ...(f.fromSession === undefined ? {} : { fromSession: f.fromSession }),
    target,
    timeoutMs: f.timeout,
    output,
    handoff: { copy: flags.copy === true, open: flags.open === true },
    ...(flags.wait ? { wait: { intervalMs: f.interval, waitTimeoutMs: f.waitTimeout } } : {}),
  };
}

/** Drops the keys whose value is undefined: only what the user set is sent. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** In the order their problems are named. */
const bulkFlagsSchema = z.object({
  rate,
  columns: z.optional(nameList(RESULT_COLUMNS)),
  concurrency: wholeNumberFrom(1),
  maxNetworkFailures: wholeNumberFrom(1),
  lease: timerMs.check(z.refine((ms: number) => ms >= 1000, 'must be at least 1s')),
});

/** The bulk flags; the request defaults, target and timeout join them once those are parsed. */
type BulkFlags = Omit<BulkPlan, 'defaults' | 'extraBody' | 'target' | 'timeoutMs' | 'dryRun'>;

function parseBulkFlags(input: string, flags: CreateFlags): BulkFlags {
  if (flags.field !== undefined)
    throw new UsageError('--field is for a single create; a bulk run prints one result per row');
  if (flags.output !== undefined && !['ndjson', 'csv', 'tsv'].includes(flags.output)) {
    throw new UsageError(
      `--output ${flags.output} is for a single create; a bulk run prints ndjson, csv or tsv`,
    );
  }
  if (flags.shard !== undefined && flags.shard !== 'auto')
    throw new UsageError(`--shard: "${flags.shard}" is not a mode: auto is the one there is`, {
      hint: 'runners on a shared store split the rows between them by claims',
    });
  const f = parseFlags(bulkFlagsSchema, {
    rate: flags.rate ?? FLAG_DEFAULTS.rate,
    columns: flags.columns,
    concurrency: flags.concurrency ?? FLAG_DEFAULTS.concurrency,
    maxNetworkFailures: flags.maxNetworkFailures ?? FLAG_DEFAULTS.maxNetworkFailures,
    lease: flags.lease ?? FLAG_DEFAULTS.lease,
  });
  return {
    input,
    strict: flags.strict === true,
    results: flags.results,
    columns: f.columns ?? DEFAULT_RESULT_COLUMNS,
    showSecrets: flags.showSecrets === true,
    concurrency: f.concurrency,
    ratePerSecond: f.rate,
    maxNetworkFailures: f.maxNetworkFailures,
    journal: flags.journal,
    retryUnknown: flags.retryUnknown === true,
    leaseMs: f.lease,
    shard: flags.shard === 'auto' ? 'auto' : undefined,
    force: flags.force === true,
    format: flags.json ? 'ndjson' : (flags.output as BulkPlan['format']),
  };
}
