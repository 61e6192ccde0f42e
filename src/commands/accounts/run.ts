// The accounts verbs: one runner each, the spec's routes, credentials redacted unless asked for.
import {
  deleteAccount,
  getAccount,
  getAccountMeta,
  type LinkedAccount,
  listAccounts,
  redactAccount,
  updateAccount,
} from '../../api/accounts.js';
import type { ApiClient } from '../../api/client.js';
import { type CommandContext, maxPages, withConnection } from '../../connection/connection.js';
import { note, warn } from '../../core/output/messages.js';
import { renderRecord } from '../../core/output/record.js';
import { renderRows } from '../../core/output/rows.js';
import { relativeTime } from '../../core/util/time.js';
import { confirmed } from '../../cmdutil/confirm.js';
import type {
  AccountDeleteOptions,
  AccountOptions,
  AccountsListOptions,
  AccountUpdateOptions,
} from './options.js';

/** One account through one request, printed with its credentials redacted unless asked for. */
async function oneAccount(
  options: AccountOptions,
  ctx: CommandContext,
  request: (client: ApiClient) => Promise<LinkedAccount>,
  extra: Record<string, unknown> = {},
): Promise<LinkedAccount> {
  const account = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) => request(client),
  );
  const wire = { ...redactAccount(account, options.showCredentials), ...extra };
  await renderRecord(ctx, { wire }, options.output);
  return account;
}

/** GET /accounts/{id}. */
export async function runAccountGet(options: AccountOptions, ctx: CommandContext): Promise<void> {
  await oneAccount(options, ctx, (client) => getAccount(client, options.id));
}

/** GET /accounts/{id}/meta: legacy in StackOne's newest SDKs, so it says so. */
export async function runAccountMeta(options: AccountOptions, ctx: CommandContext): Promise<void> {
  warn(
    ctx,
    "GET /accounts/{id}/meta is legacy in StackOne's newest SDKs; 'cst accounts get' is the lasting way",
  );
  const meta = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) => getAccountMeta(client, options.id),
  );
  await renderRecord(ctx, { wire: meta }, options.output);
}

/** PATCH /accounts/{id} with what was asked to change, and nothing else. */
export async function runAccountUpdate(
  options: AccountUpdateOptions,
  ctx: CommandContext,
): Promise<void> {
  await oneAccount(options, ctx, (client) => updateAccount(client, options.id, options.changes));
}

/** DELETE /accounts/{id}, confirmed first; --dry-run shows the account as it is now. */
export async function runAccountDelete(
  options: AccountDeleteOptions,
  ctx: CommandContext,
): Promise<void> {
  const { id } = options;
  if (
    !options.dryRun &&
    !(await confirmed(
      ctx,
      `Delete linked account ${id}? The customer will have to connect again.`,
      `deleting account ${id}`,
      { yes: options.yes, dryRun: true },
    ))
  )
    return;
  if (!options.dryRun) {
    await oneAccount(options, ctx, (client) => deleteAccount(client, id));
    return;
  }
  // Marked as what it is, in the record (`"dry_run": true`) and in a line on stderr.
  const account = await oneAccount(options, ctx, (client) => getAccount(client, id), {
    dry_run: true,
  });
  note(
    ctx,
    `would delete account ${account.id} (${account.provider}, owner ${account.origin_owner_id}); nothing deleted`,
  );
}

/** GET /accounts, page by page up to --limit (or every page with --all). */
export async function runAccountsList(
  options: AccountsListOptions,
  ctx: CommandContext,
): Promise<void> {
  const { limit, connectorProfileId } = options;
  // One more than the limit tells whether rows were left out. A filter cst applies itself needs
  // every page: the first N accounts may hold none of the profile's.
  const fetched = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) =>
      listAccounts(client, options.filter, {
        pageSize: options.pageSize,
        limit: connectorProfileId === undefined ? limit + 1 : Infinity,
        maxPages: maxPages(ctx),
      }),
  );
  const accounts =
    connectorProfileId === undefined
      ? fetched
      : fetched.filter((account) => account.connector_profile_id === connectorProfileId);
  const shown = accounts
    .slice(0, limit)
    .map((account) => redactAccount(account, options.showCredentials));
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
          keep: (a) => a.origin_owner_id.length,
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
    options.output,
  );
  if (accounts.length > limit) note(ctx, `showing the first ${limit}; use --all for every page`);
}
