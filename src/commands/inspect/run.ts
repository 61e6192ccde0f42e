// runInspect: the session a token belongs to (POST /connect_sessions/authenticate), or a session
// read back by its id (GET /connect_sessions/{id}).
import { openStateLedger } from '../../config/state.js';
import { authenticateConnectSession } from '../../api/connect-sessions.js';
import type { ConnectSession } from '../../api/schemas.js';
import { type CommandContext, withConnection } from '../../connection/connection.js';
import { ApiError } from '../../core/errors.js';
import { warn } from '../../core/output/messages.js';
import { renderRecord } from '../../core/output/record.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import { newestRecord } from '../../ledger/ledger.js';
import { targetFlagsOf } from '../../session/linked.js';
import { readSession } from '../../session/read.js';
import type { InspectOptions } from './options.js';

export async function runInspect(options: InspectOptions, ctx: CommandContext): Promise<void> {
  const session =
    options.source.kind === 'session'
      ? await bySession(options, options.source.id, ctx)
      : await byToken(options, ctx);
  await renderRecord(ctx, { wire: session.wire }, options.output);
}

async function byToken(options: InspectOptions, ctx: CommandContext): Promise<ConnectSession> {
  if (options.source.kind === 'argument')
    warn(ctx, 'a token given as an argument lands in shell history; prefer --token-stdin');
  const token =
    options.source.kind === 'argument'
      ? options.source.value
      : await readSecretFromStdin(ctx, '--token-stdin');
  return withConnection(ctx, options.target, { timeoutMs: options.timeoutMs }, ({ client }) =>
    authenticateConnectSession(client, token).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) {
        throw new ApiError('token unknown or expired', 'not_found', {
          status: 404,
        });
      }
      throw error;
    }),
  );
}

/**
 * A session of the ledger is read through the target that issued it, unless flags choose another
 * (whose key then sees it only if it is that project's).
 */
async function bySession(
  options: InspectOptions,
  id: number,
  ctx: CommandContext,
): Promise<ConnectSession> {
  const sandbox = options.target.sandbox === true;
  const ledger = await openStateLedger(ctx, sandbox);
  const record = await newestRecord(ledger, { id, status: 'all' }, ctx.now());
  const chosen = options.target.org !== undefined || options.target.project !== undefined;
  const target = record && !chosen ? targetFlagsOf(record) : options.target;
  return withConnection(ctx, target, { timeoutMs: options.timeoutMs }, (connection) =>
    readSession(
      connection.client,
      connection.target,
      id,
      record &&
        record.target === connection.id &&
        record.org === connection.target.org &&
        record.project === connection.target.project
        ? record
        : undefined,
    ),
  );
}
