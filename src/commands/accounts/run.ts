// The accounts verbs: one client, the spec's routes, credentials redacted unless asked for.
import {
  deleteAccount,
  getAccount,
  getAccountMeta,
  type LinkedAccount,
  listAccounts,
  redactAccount,
  updateAccount,
} from '../../api/accounts.js';
import { UsageError } from '../../errors.js';
import { parseOutputFlags, type OutputFlags } from '../../output/format.js';
import { renderRecord } from '../../output/record.js';
import { LIST_FORMATS } from '../../output/format.js';
import { renderRows } from '../../output/rows.js';
import { relativeTime } from '../../util/time.js';
import { note, warn } from '../../output/messages.js';
import { type CommandContext, maxPages, withConnection } from '../../connection.js';
import { confirmed } from '../confirm.js';
import { durationMs, usageFromZod } from '../../options/parse.js';

export interface AccountFlags extends OutputFlags {
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
  showCredentials?: boolean;
  provider?: string[];
  ownerId?: string[];
  accountId?: string[];
  status?: string[];
  pageSize?: string;
  limit?: string;
  all?: boolean;
  label?: string;
  yes?: boolean;
  dryRun?: boolean;
}

const ACCOUNT_FIELDS = [
  'id',
  'provider',
  'provider_name',
  'status',
  'status_reasons',
  'origin_owner_id',
  'origin_owner_name',
  'origin_username',
  'credentials',
  'setup_information',
  'label',
  'created_at',
  'updated_at',
  'type',
  'shared',
];
const META_FIELDS = ['provider', 'category', 'models'];

export async function runAccounts(
  verb: 'list' | 'get' | 'meta' | 'update' | 'delete',
  id: string | undefined,
  flags: AccountFlags,
  ctx: CommandContext,
): Promise<void> {
  const timeout = durationMs.safeParse(flags.timeout);
  if (!timeout.success) throw usageFromZod(timeout.error);
  if (verb === 'list') return list(flags, timeout.data, ctx);
  const output = parseOutputFlags(flags, verb === 'meta' ? META_FIELDS : ACCOUNT_FIELDS);
  const accountId = id!;
  if (
    verb === 'delete' &&
    !flags.dryRun &&
    !(await confirmed(
      ctx,
      `Delete linked account ${accountId}? The customer will have to connect again.`,
      `deleting account ${accountId}`,
      { yes: flags.yes, dryRun: true },
    ))
  )
    return;
  const show = flags.showCredentials === true;
  const wire = await withConnection(
    ctx,
    { org: flags.org, project: flags.project, sandbox: flags.sandbox },
    { timeoutMs: timeout.data },
    async ({ client }): Promise<Record<string, unknown>> => {
      switch (verb) {
        case 'get':
          return redactAccount(await getAccount(client, accountId), show);
        case 'meta':
          warn(
            ctx,
            "GET /accounts/{id}/meta is legacy in StackOne's newest SDKs; 'cst accounts get' is the lasting way",
          );
          return getAccountMeta(client, accountId);
        case 'update':
          return redactAccount(
            await updateAccount(client, accountId, { label: flags.label }),
            show,
          );
        case 'delete':
          // --dry-run: the account that would be deleted, as it is now.
          return redactAccount(
            flags.dryRun
              ? await getAccount(client, accountId)
              : await deleteAccount(client, accountId),
            show,
          );
      }
    },
  );
  await renderRecord(ctx, { wire }, output);
}

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  return Number(text);
}

async function list(flags: AccountFlags, timeoutMs: number, ctx: CommandContext): Promise<void> {
  const output = parseOutputFlags(flags, ACCOUNT_FIELDS, LIST_FORMATS, 'one value per account');
  const pageSize = positive('--page-size', flags.pageSize, 25);
  const limit = flags.all ? Infinity : positive('--limit', flags.limit, 50);
  // One more than the limit tells whether rows were left out.
  const accounts = await withConnection(
    ctx,
    { org: flags.org, project: flags.project, sandbox: flags.sandbox },
    { timeoutMs },
    ({ client }) =>
      listAccounts(
        client,
        {
          providers: flags.provider,
          originOwnerIds: flags.ownerId,
          accountIds: flags.accountId,
          status: flags.status,
        },
        { pageSize, limit: limit + 1, maxPages: maxPages(ctx) },
      ),
  );
  const shown = accounts
    .slice(0, limit)
    .map((account) => redactAccount(account, flags.showCredentials === true));
  const now = ctx.now().getTime();
  const text = (value: string | null | undefined) => value ?? '';
  await renderRows<LinkedAccount>(
    ctx,
    {
      columns: [
        { header: 'ID', human: (a) => a.id, machine: (a) => a.id },
        { header: 'PROVIDER', human: (a) => a.provider, machine: (a) => a.provider },
        {
          header: 'OWNER',
          human: (a) => `${a.origin_owner_id} (${a.origin_owner_name})`,
          machine: (a) => a.origin_owner_id,
          shorten: true,
        },
        {
          header: 'STATUS',
          human: (a) => a.status,
          machine: (a) => a.status,
          style: (a) => (a.status === 'active' ? 'good' : 'bad'),
        },
        {
          header: 'LABEL',
          human: (a) => text(a.label),
          machine: (a) => text(a.label),
          drop: 2,
        },
        {
          header: 'CREATED',
          human: (a) => relativeTime(Date.parse(a.created_at), now),
          machine: (a) => a.created_at,
          drop: 1,
        },
      ],
      rows: shown,
      json: (a) => ({ ...a }),
    },
    output,
  );
  if (accounts.length > limit) note(ctx, `showing the first ${limit}; use --all for every page`);
}
