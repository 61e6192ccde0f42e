// runList: the ledger's answer, newest first, optionally joined with StackOne's linked accounts.
import { openStateLedger } from '../../config/state.js';
import { configFile } from '../../config/paths.js';
import type { CommandContext } from '../../connection/connection.js';
import type { Context } from '../../core/context.js';
import { type Ledger } from '../../ledger/ledger.js';
import { CliError, UsageError } from '../../core/errors.js';
import { note, warn } from '../../core/output/messages.js';
import { renderRows } from '../../core/output/rows.js';
import type { Column } from '../../core/output/view.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import { didYouMean } from '../../core/util/suggest.js';
import { relativeTime } from '../../core/util/time.js';
import {
  byState,
  filtersByState,
  type ListedSession,
  listSessions,
  summarize,
  type SummaryRow,
} from '../../session/report.js';
import { type ListOptions, STATUS_AS_STATE } from './options.js';

export async function runList(options: ListOptions, ctx: CommandContext): Promise<void> {
  const now = ctx.now().getTime();
  if (options.statusDeprecated)
    warn(
      ctx,
      `--status is deprecated and goes in a later release; use --state: ${STATUS_AS_STATE}`,
    );
  const tokenFp = options.tokenStdin
    ? (await import('../../ledger/fingerprint.js')).fingerprint(
        await readSecretFromStdin(ctx, '--token-stdin'),
      )
    : undefined;
  const ledger = await openStateLedger(ctx, options.sandbox);
  // Filters on state, and the summary, need every matching session before any limit.
  const stateFiltered = filtersByState(options);
  const result = await listSessions(
    ledger,
    { ...options, tokenFp, now },
    stateFiltered || options.summary,
  );
  if (result.torn > 0) {
    warn(
      ctx,
      `skipped ${result.torn} unreadable line${result.torn > 1 ? 's' : ''} in ${ledger.where} (a record torn by a crash mid-write?)`,
    );
  }
  if (result.total === 0) await checkSelection(ctx, options, ledger);
  const rows = result.rows;
  // Asking StackOne needs the HTTP client: loaded only for --refresh and --linked.
  const refreshed =
    options.refresh || options.linked
      ? await (await import('../../session/refresh.js')).refreshSessions(ctx, ledger, rows, options)
      : undefined;
  if (options.linked && refreshed?.stopped === undefined) {
    const { linkedAccountsFor } = await import('../../session/linked.js');
    const linked = await linkedAccountsFor(ctx, rows, options);
    for (const row of rows) {
      row.linked = linked.get(row) ?? null;
      const account = row.linked?.account;
      if (account && row.state !== 'linked')
        Object.assign(row, {
          state: 'linked',
          linked_account_id: account.id,
          linked_at: account.created_at,
        });
    }
  }
  if (options.summary) await renderSummary(ctx, rows, options);
  else await renderList(ctx, rows, result.total, options, now);
  if (refreshed?.stopped) {
    const { stopped, read, candidates } = refreshed;
    throw new CliError(
      `the refresh stopped after ${read} of ${candidates} open sessions: ${stopped.message}`,
      stopped.code,
      {
        hint: 'the listing above shows what was learned; run it again to go on (decided sessions are not asked again)',
      },
    );
  }
}

async function renderList(
  ctx: CommandContext,
  listed: ListedSession[],
  matched: number,
  options: ListOptions,
  now: number,
): Promise<void> {
  let rows = listed;
  const stateFiltered = filtersByState(options);
  let total = matched;
  if (stateFiltered) ({ rows, total } = byState(rows, options, options.limit, now));
  const json = ({ v: _version, ...row }: ListedSession) => ({ ...row });
  await renderRows(ctx, { columns: columns(options.linked, now), rows, json }, options.output);
  if (rows.length < total && !options.limitGiven) {
    note(ctx, `showing ${rows.length} of ${total}; use --all`, { shown: rows.length, total });
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
  const whole = (value: string) => value.length;
  const list: Column<ListedSession>[] = [
    { header: 'ID', human: (row) => String(row.id), machine: (row) => String(row.id) },
    {
      header: 'ORGANIZATION/PROJECT',
      human: where,
      machine: where,
      drop: 4,
      shorten: true,
      // Names may be cut; a target (the base URL's origin and a key fingerprint) may not.
      keep: (row) => (row.org !== null && row.project !== null ? 0 : whole(row.target)),
    },
    {
      header: 'OWNER',
      human: (row) => `${row.owner_id} (${row.owner_name})`,
      machine: (row) => row.owner_id,
      shorten: true,
      keep: (row) => whole(row.owner_id),
    },
    {
      header: 'CATEGORIES',
      human: (row) => row.categories.join(','),
      machine: (row) => row.categories.join(','),
      drop: 5,
    },
    {
      header: 'CREATED',
      human: (row) => relativeTime(Date.parse(row.created_at), now),
      machine: (row) => row.created_at,
      drop: 3,
    },
    {
      header: 'EXPIRES',
      human: (row) =>
        row.expires_at === null
          ? 'unknown'
          : (row.status === 'active' ? '' : 'expired ') +
            relativeTime(Date.parse(row.expires_at), now),
      machine: (row) => row.expires_at ?? '',
      style: (row) => (row.status === 'active' ? 'good' : 'muted'),
      drop: 2,
    },
    // Deprecated: STATE says it, and more. Kept where scripts read it, out of the table.
    {
      header: 'STATUS',
      human: (row) => row.status,
      machine: (row) => row.status,
      machineOnly: true,
    },
    {
      header: 'LABEL',
      human: (row) => text(row.label),
      machine: (row) => text(row.label),
      drop: 6,
      shorten: true,
    },
    {
      header: 'STATE',
      // With --linked the account has its own column.
      human: (row) =>
        row.state === 'linked' && row.linked_account_id && !linked
          ? `linked ${row.linked_account_id}`
          : row.state,
      machine: (row) => row.state,
      style: (row) =>
        row.state === 'linked'
          ? 'good'
          : row.state === 'failed' || row.state === 'cancelled'
            ? 'bad'
            : row.state === 'pending'
              ? undefined
              : 'muted',
    },
  ];
  if (linked) {
    const account = (row: ListedSession) => row.linked?.account ?? null;
    /** 'unknown' when StackOne was not asked, 'none yet', or the account as `show` puts it. */
    const linkedText =
      (show: (found: NonNullable<ReturnType<typeof account>>) => string) =>
      (row: ListedSession) => {
        if (row.linked === undefined || row.linked === null) return 'unknown';
        const found = account(row);
        return found === null ? 'none yet' : show(found);
      };
    list.push({
      header: 'LINKED',
      // For people the id first, whole; for scripts the order it always had.
      human: linkedText((found) => `${found.id} (${found.provider}, ${found.status})`),
      machine: linkedText((found) => `${found.provider} ${found.id} ${found.status}`),
      shorten: true,
      keep: (row) => account(row)?.id.length ?? 0,
      drop: 1,
      style: (row) => {
        const found = account(row);
        return found ? (found.status === 'active' ? 'good' : 'bad') : 'muted';
      },
    });
  }
  return list;
}

/**
 * A --org or --project that matched nothing: a name neither configured nor in the ledger is a
 * typo ("acmee"), not an empty answer, and says so with the names it could have meant.
 */
async function checkSelection(ctx: Context, options: ListOptions, ledger: Ledger): Promise<void> {
  if (options.org === undefined && options.project === undefined) return;
  const known: { org: string; project: string }[] = [];
  for (const record of (await ledger.query({ status: 'all', limit: Infinity, now: 0 })).rows)
    if (record.org !== null && record.project !== null)
      known.push({ org: record.org, project: record.project });
  if (options.sandbox) {
    const { SEED } = await import('../../sandbox/state.js');
    for (const org of SEED)
      for (const project of org.projects) known.push({ org: org.name, project });
  } else {
    const { loadConfig } = await import('../../config/config-file.js');
    // A broken config is for the commands that use it to report; listing does not need it.
    const config = await loadConfig(configFile(ctx.env)).catch(() => undefined);
    for (const [org, entry] of Object.entries(config?.organizations ?? {}))
      for (const project of Object.keys(entry.projects)) known.push({ org, project });
  }
  const where = options.sandbox ? 'in the sandbox or its ledger' : 'configured or in the ledger';
  const unknown = (flag: string, what: string, name: string, names: string[]) => {
    const unique = [...new Set(names)].sort();
    return new UsageError(`${flag}: no ${what} "${name}" is ${where}${didYouMean(name, unique)}`, {
      hint: `known: ${unique.join(', ') || 'none'}`,
    });
  };
  const { org, project } = options;
  if (org !== undefined && !known.some((k) => k.org === org))
    throw unknown(
      '--org',
      'organization',
      org,
      known.map((k) => k.org),
    );
  const inOrg = known.filter((k) => org === undefined || k.org === org);
  if (project !== undefined && !inOrg.some((k) => k.project === project))
    throw unknown(
      '--project',
      'project',
      project,
      inOrg.map((k) => k.project),
    );
}

/** The funnel per organization/project: what a CI job's owners ask after a provisioning run. */
async function renderSummary(
  ctx: Context,
  rows: ListedSession[],
  options: ListOptions,
): Promise<void> {
  const summary = summarize(rows);
  const number = (pick: (row: SummaryRow) => number) => (row: SummaryRow) => String(pick(row));
  await renderRows(
    ctx,
    {
      columns: [
        {
          header: 'ORGANIZATION/PROJECT',
          human: (row) => row.where,
          machine: (row) => row.where,
          shorten: true,
        },
        { header: 'ISSUED', human: number((r) => r.issued), machine: number((r) => r.issued) },
        { header: 'LINKED', human: number((r) => r.linked), machine: number((r) => r.linked) },
        {
          header: 'PENDING',
          human: number((r) => r.pending),
          machine: number((r) => r.pending),
          drop: 1,
        },
        {
          header: 'FAILED',
          human: number((r) => r.failed),
          machine: number((r) => r.failed),
          drop: 2,
        },
        {
          header: 'EXPIRED UNLINKED',
          human: number((r) => r.expired),
          machine: number((r) => r.expired),
          drop: 3,
        },
        {
          header: 'LINK RATE',
          human: (row) => `${Math.round(row.link_rate * 100)}%`,
          machine: (row) => row.link_rate.toFixed(3),
        },
        {
          header: 'MEDIAN TO LINK',
          drop: 4,
          human: (row) =>
            row.median_seconds_to_link === null ? '' : formatSeconds(row.median_seconds_to_link),
          machine: (row) =>
            row.median_seconds_to_link === null ? '' : String(row.median_seconds_to_link),
        },
      ],
      rows: summary,
      json: (row) => ({ ...row }),
    },
    options.output,
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}
