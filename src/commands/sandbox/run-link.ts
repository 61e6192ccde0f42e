import { linkedAccountSchema, redactAccount } from '../../api/accounts.js';
import { stateDir } from '../../config/paths.js';
import { changed } from '../../core/output/messages.js';
import { listJournals, removeJournal } from '../../session/bulk/journals.js';
import { confirmed } from '../../cmdutil/confirm.js';
import type { Context } from '../../core/context.js';
import { CliError, UsageError } from '../../core/errors.js';
import { openLedger } from '../../ledger/ledger.js';
import { lockClock } from '../../core/util/lock.js';
import { renderRecord } from '../../core/output/record.js';
import { DecidedError, finishAttempt, UnofferedProviderError } from '../../sandbox/hub.js';
import { SandboxStore, UnknownTokenError } from '../../sandbox/state.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import type { LinkOptions, ResetOptions } from './options.js';

export async function runLink(options: LinkOptions, ctx: Context): Promise<void> {
  const token =
    options.token.kind === 'argument'
      ? options.token.value
      : await readSecretFromStdin(ctx, '--token-stdin');
  let finished;
  try {
    finished = await finishAttempt(
      new SandboxStore(stateDir(ctx.env), lockClock(ctx)),
      token,
      options,
      ctx.now(),
    );
  } catch (error) {
    if (error instanceof UnknownTokenError) {
      throw new CliError('token unknown or expired', 'not_found');
    }
    if (error instanceof UnofferedProviderError)
      throw new UsageError(`--provider: ${error.message}`);
    if (error instanceof DecidedError) {
      const { attempt } = error;
      throw new CliError(
        `${error.message}${attempt.account_secure_id ? `, account ${attempt.account_secure_id}` : ''}: nothing changed`,
        'request_rejected',
        { hint: 'a decided session stays decided: create a new one to link again' },
      );
    }
    throw error;
  }
  const output = { format: options.json ? ('json' as const) : undefined, field: undefined };
  if (!finished.account) {
    const { session_id: _session, ...attempt } = finished.attempt;
    return renderRecord(ctx, { wire: attempt }, output);
  }
  const wire = redactAccount(linkedAccountSchema.parse(finished.account), false);
  await renderRecord(ctx, { wire }, output);
}

export async function runReset(options: ResetOptions, ctx: Context): Promise<void> {
  const dir = stateDir(ctx.env);
  const question = "Forget the sandbox's sessions, accounts and ledger (its keys stay)?";
  if (!(await confirmed(ctx, question, 'resetting the sandbox', options))) return;
  const forgotten = await new SandboxStore(dir, lockClock(ctx)).reset();
  // Session ids start again at 1, so the old sandbox ledger would be misleading; and the
  // journals of sandbox runs point at sessions that are gone.
  await openLedger(dir, true, ctx).clear();
  const journals = listJournals(ctx.env).filter((journal) => journal.target === 'sandbox');
  for (const journal of journals) removeJournal(ctx.env, journal.id);
  changed(
    ctx,
    options.json,
    { cleared: { ...forgotten, ledger: true, journals: journals.map((journal) => journal.id) } },
    'sandbox sessions, accounts, ledger and journals cleared',
  );
}
