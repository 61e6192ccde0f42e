// Raw create flags → typed CreateOptions. Every problem is a UsageError naming the flag.
import * as z from 'zod/mini';
import { SESSION_TOKEN_FIELDS } from '../../api/constants.js';
import type { ConnectSessionCreate } from '../../api/schemas.js';
import type { TargetFlags } from '../../config/target.js';
import { UsageError } from '../../errors.js';
import { type OutputOptions, parseOutputFlags } from '../../output/format.js';
import {
  categoryList,
  durationMs,
  jsonObject,
  keyValues,
  sessionId,
  usageFromZod,
} from '../parse.js';

export interface CreateFlags {
  ownerId?: string;
  ownerName?: string;
  categories?: string[];
  provider?: string;
  username?: string;
  accountId?: string;
  label?: string;
  expiresIn?: string;
  metadata?: string[];
  metadataJson?: string;
  multiple?: boolean;
  type?: string;
  integrationId?: string;
  bodyJson?: string;
  fromSession?: string;
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
  target: TargetFlags;
  timeoutMs: number;
  output: OutputOptions;
}

const nonEmpty = z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty')));
const flag = z.optional(z.boolean());

const createFlagsSchema = z.object({
  ownerId: nonEmpty,
  ownerName: nonEmpty,
  categories: z.optional(categoryList),
  provider: nonEmpty,
  username: nonEmpty,
  accountId: nonEmpty,
  label: z.optional(z.string()),
  expiresIn: z.optional(
    z.pipe(
      durationMs.check(z.refine((ms: number) => ms >= 1000, 'must be at least 1s')),
      z.transform((ms: number) => ms / 1000),
    ),
  ),
  metadata: z.optional(keyValues),
  metadataJson: z.optional(jsonObject),
  multiple: flag,
  type: z.optional(z.string()),
  integrationId: nonEmpty,
  bodyJson: z.optional(jsonObject),
  fromSession: z.optional(sessionId),
  org: nonEmpty,
  project: nonEmpty,
  sandbox: flag,
  timeout: durationMs.check(z.refine((ms: number) => ms > 0, 'must be more than 0')),
});

export function parseCreateOptions(flags: CreateFlags): CreateOptions {
  const output = parseOutputFlags(flags, SESSION_TOKEN_FIELDS);
  const parsed = createFlagsSchema.safeParse(flags);
  if (!parsed.success) throw usageFromZod(parsed.error);
  const f = parsed.data;
  const metadata = f.metadataJson || f.metadata ? { ...f.metadataJson, ...f.metadata } : undefined;
  const request: Partial<ConnectSessionCreate> = defined({
    originOwnerId: f.ownerId,
    originOwnerName: f.ownerName,
    categories: f.categories,
    provider: f.provider,
    originUsername: f.username,
    accountId: f.accountId,
    label: f.label,
    expiresIn: f.expiresIn,
    metadata,
    multiple: f.multiple,
    type: f.type,
    integrationId: f.integrationId,
  });
  if (f.bodyJson && Object.keys(f.bodyJson).length === 0)
    throw new UsageError('--body-json: the object is empty');
  return {
    request,
    extraBody: f.bodyJson,
    ...(f.fromSession === undefined ? {} : { fromSession: f.fromSession }),
    target: defined({ org: f.org, project: f.project, sandbox: f.sandbox }),
    timeoutMs: f.timeout,
    output,
  };
}

/** Drops the keys whose value is undefined: only what the user set is sent. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
