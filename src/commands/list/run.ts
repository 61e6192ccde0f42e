// runList: the ledger's answer, newest first, optionally joined with StackOne's linked accounts.
import { stateDir } from '../../config/paths.js';
import type { Context } from '../../context.js';
import { queryLedger } from '../../ledger/query.js';
import type { LedgerRecord } from '../../ledger/record.js';
import { ledgerPath } from '../../ledger/store.js';
import { note, warn } from '../../output/messages.js';
import { type Column, renderRows } from '../../output/rows.js';
import { readSecretFromStdin } from '../../util/stdin.js';
import { relativeTime } from '../../util/time.js';
import type { Linked } from './linked.js';
import type { ListOptions } from './options.js';

export interface ListedSession extends LedgerRecord {
  status: 'active' | 'expired';
  linked?: Linked | null;
}

export async function runList(options: ListOptions, ctx: Context): Promise<void> {
  const now = ctx.now().getTime();
  const tokenFp = options.tokenStdin
    ? (await import('../../ledger/fingerprint.js')).fingerprint(
        await readSecretFromStdin(ctx, '--token-stdin'),
      )
    : undefined;
  const path = ledgerPath(stateDir(ctx.env), options.sandbox);
  const result = queryLedger(path, { ...options, tokenFp, now });
  if (result.torn > 0) {
    warn(
      ctx,
      `skipped ${result.torn} unreadable line${result.torn > 1 ? 's' : ''} in ${path} (a record torn by a crash mid-write?)`,
    );
  }
  const rows: ListedSession[] = result.rows.map((record) => ({
    ...record,
    status:
      record.expires_at !== null && Date.parse(record.expires_at) > now ? 'active' : 'expired',
  }));
  if (options.linked) {
    // Asking StackOne needs the HTTP client: loaded only for --linked.
    const { linkedAccountsFor } = await import('./linked.js');
    const linked = await linkedAccountsFor(ctx, rows, options);
    for (const row of rows) row.linked = linked.get(row) ?? null;
  }
  const json = ({ v: _version, ...row }: ListedSession) => ({ ...row });
  await renderRows(ctx, { columns: columns(options.linked, now), rows, json }, options.output);
  if (rows.length < result.total) {
    ctx.stderr.write(`showing ${rows.length} of ${result.total}; use --all\n`);
  } else if (rows.length === 0 && ctx.stderr.isTTY) {
    note(
      ctx,
      options.sandbox
        ? 'no sandbox sessions match'
        : 'no sessions match (cst list --sandbox shows sandbox sessions)',
    );
  }
}

function columns(linked: boolean, now: number): Column<ListedSession>[] {
  const text = (value: string | null) => value ?? '';
  const where = (row: ListedSession) =>
    row.org !== null && row.project !== null ? `${row.org}/${row.project}` : row.target;
  const state = (row: ListedSession) => (row.status === 'active' ? 'good' : 'muted');
  const list: Column<ListedSession>[] = [
    { header: 'ID', human: (row) => String(row.id), machine: (row) => String(row.id) },
    { header: 'ORGANIZATION/PROJECT', human: where, machine: where },
    {
      header: 'OWNER',
      human: (row) => `${row.owner_id} (${row.owner_name})`,
      machine: (row) => row.owner_id,
    },
    {
      header: 'CATEGORIES',
      human: (row) => row.categories.join(','),
      machine: (row) => row.categories.join(','),
    },
    {
      header: 'CREATED',
      human: (row) => relativeTime(Date.parse(row.created_at), now),
      machine: (row) => row.created_at,
    },
    {
      header: 'EXPIRES',
      human: (row) =>
        row.expires_at === null
          ? 'unknown'
          : (row.status === 'active' ? '' : 'expired ') +
            relativeTime(Date.parse(row.expires_at), now),
      machine: (row) => row.expires_at ?? '',
      style: state,
    },
    { header: 'STATUS', human: (row) => row.status, machine: (row) => row.status, style: state },
    { header: 'LABEL', human: (row) => text(row.label), machine: (row) => text(row.label) },
  ];
  if (linked) {
    const linkedText = (row: ListedSession) =>
      row.linked === undefined || row.linked === null
        ? 'unknown'
        : row.linked.account === null
          ? 'none yet'
          : `${row.linked.account.provider} ${row.linked.account.id} ${row.linked.account.status}`;
    list.push({
      header: 'LINKED',
      human: linkedText,
      machine: linkedText,
      style: (row) =>
        row.linked?.account ? (row.linked.account.status === 'active' ? 'good' : 'bad') : 'muted',
    });
  }
  return list;
}
