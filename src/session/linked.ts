// --linked: for the projects involved, ask StackOne which accounts the listed owners linked, and
// match each session with the first account of its owner created after it.
import { type LinkedAccount, listAccounts } from '../api/accounts.js';
import type { TargetFlags } from '../options/target.js';
import { CliError } from '../core/errors.js';
import type { LedgerRecord } from '../ledger/record.js';
import { warn } from '../core/output/messages.js';
import { type CommandContext, type Connection, maxPages, using } from '../connection/connection.js';

export interface Linked {
  account: Pick<LinkedAccount, 'id' | 'provider' | 'status' | 'created_at'> | null;
}

/** Owner ids per GET /accounts, so that no URL grows past what proxies accept. */
const MAX_QUERY_CHARS = 1500;
const PAGE_SIZE = 100;

export async function linkedAccountsFor<R extends LedgerRecord>(
  ctx: CommandContext,
  rows: R[],
  options: { timeoutMs: number },
): Promise<Map<R, Linked>> {
  const byTarget = new Map<string, R[]>();
  for (const row of rows) byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
  const result = new Map<R, Linked>();
  for (const [tid, group] of byTarget) {
    const first = group[0]!;
    const where =
      first.org !== null && first.project !== null ? `${first.org}/${first.project}` : tid;
    let connection: Connection;
    try {
      connection = await ctx.connect(targetFlagsOf(first), { timeoutMs: options.timeoutMs });
    } catch (error) {
      warn(
        ctx,
        `cannot check linked accounts of ${where}: ${error instanceof CliError ? error.message : String(error)}`,
      );
      continue;
    }
    if (connection.id !== tid) {
      await connection.close();
      warn(
        ctx,
        `cannot check linked accounts of ${where}: the key configured now is not the one that issued these sessions`,
      );
      continue;
    }
    const accounts = await using(connection, async ({ client }) => {
      const found: LinkedAccount[] = [];
      for (const owners of chunks([...new Set(group.map((row) => row.owner_id))])) {
        found.push(
          ...(await listAccounts(
            client,
            { originOwnerIds: owners },
            { pageSize: PAGE_SIZE, limit: Infinity, maxPages: maxPages(ctx) },
          )),
        );
      }
      return found;
    });
    for (const row of group) result.set(row, { account: firstAfter(accounts, row) });
  }
  return result;
}

/** The target that issued a ledger record, as the flags that select it now. */
export function targetFlagsOf(row: Pick<LedgerRecord, 'target' | 'org' | 'project'>): TargetFlags {
  if (row.target === 'sandbox')
    return { sandbox: true, org: row.org ?? undefined, project: row.project ?? undefined };
  if (row.org !== null && row.project !== null) return { org: row.org, project: row.project };
  return { env: true };
}

/** The first account of the record's owner created after the session: the one it linked. */
export function firstAfter(
  accounts: LinkedAccount[],
  row: Pick<LedgerRecord, 'owner_id' | 'created_at'>,
): Linked['account'] {
  const created = Date.parse(row.created_at);
  const candidates = accounts
    .filter(
      (account) =>
        account.origin_owner_id === row.owner_id && Date.parse(account.created_at) >= created,
    )
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const account = candidates[0];
  return account
    ? {
        id: account.id,
        provider: account.provider,
        status: account.status,
        created_at: account.created_at,
      }
    : null;
}

function chunks(ids: string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = encodeURIComponent(id).length + 'origin_owner_ids=&'.length;
    if (current.length > 0 && length + cost > MAX_QUERY_CHARS) {
      result.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) result.push(current);
  return result;
}
