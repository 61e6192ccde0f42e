// runWait: find what to wait for (a token, or a ledger session), poll until the outcome is
// final, record a linked account in the ledger, and print it.
import { openStateLedger } from '../../config/state.js';
import type { ApiClient } from '../../api/client.js';
import type { Target } from '../../config/target.js';
import type { TargetFlags } from '../../options/target.js';
import { UsageError } from '../../core/errors.js';
import { fingerprint } from '../../ledger/fingerprint.js';
import type { LedgerRecord } from '../../ledger/record.js';
import { newestRecord } from '../../ledger/ledger.js';
import { warn } from '../../core/output/messages.js';
import { renderRecord } from '../../core/output/record.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import { type CommandContext, withConnection } from '../../connection/connection.js';
import { targetFlagsOf } from '../../session/linked.js';
import {
  type Linked,
  recorded,
  type WaitPlan,
  waitForSession,
  waitForToken,
} from '../../session/wait.js';
import type { WaitOptions } from './options.js';

export async function runWait(options: WaitOptions, ctx: CommandContext): Promise<void> {
  const sandbox = options.target.sandbox === true;
  const ledger = await openStateLedger(ctx, sandbox);
  const plan = (record: LedgerRecord | undefined): WaitPlan => ({
    intervalMs: options.intervalMs,
    waitTimeoutMs: options.waitTimeoutMs,
    expiresAt: record?.expires_at ? Date.parse(record.expires_at) : undefined,
    known: record && { sessionId: record.id, ownerId: record.owner_id },
    sandbox,
  });
  const lookup = (query: { id?: number; tokenFp?: string }) =>
    newestRecord(ledger, { ...query, status: 'all' }, ctx.now());

  let target: TargetFlags;
  let poll: (client: ApiClient, tid: string, resolved: Target) => Promise<Linked>;
  if (options.source.kind === 'session') {
    const id = options.source.id;
    const record = await lookup({ id });
    if (!record)
      throw new UsageError(
        `--session: no session ${id} in the ${sandbox ? 'sandbox ' : ''}ledger`,
        {
          hint: `'cst list${sandbox ? ' --sandbox' : ''}' shows the sessions cst issued`,
        },
      );
    target =
      options.target.org !== undefined || options.target.project !== undefined
        ? options.target
        : targetFlagsOf(record);
    poll = (client, tid, resolved) =>
      recorded(ledger, tid, waitForSession(ctx, client, resolved, record, plan(record)), ctx);
  } else {
    if (options.source.kind === 'token')
      warn(ctx, 'a token given as an argument lands in shell history; prefer --token-stdin');
    const token =
      options.source.kind === 'token'
        ? options.source.token
        : await readSecretFromStdin(ctx, '--token-stdin');
    ctx.redactor.add(token);
    // The ledger knows when a session cst issued expires; the API does not say.
    const record = await lookup({ tokenFp: fingerprint(token) });
    target = options.target;
    poll = (client, tid) =>
      recorded(ledger, tid, waitForToken(ctx, client, token, plan(record)), ctx);
  }
  const linked = await withConnection(
    ctx,
    target,
    { timeoutMs: options.timeoutMs, onRetry: quiet },
    ({ client, id, target: resolved }) => poll(client, id, resolved),
  );
  await renderRecord(ctx, { wire: linkedWire(linked) }, options.output);
}

/** The result as --json and the table print it. */
function linkedWire(linked: Linked): Record<string, unknown> {
  return {
    status: 'authenticated',
    method: linked.method,
    session_id: linked.session_id,
    owner_id: linked.owner_id,
    account_id: linked.account_id,
    provider: linked.provider,
    account_status: linked.account_status,
  };
}

/** A wait polls again anyway: the client's own retries need no line each. */
const quiet = () => {};
