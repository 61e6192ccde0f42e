// runInspect: the session a token belongs to (POST /connect_sessions/authenticate).
import { authenticateConnectSession } from '../../api/connect-sessions.js';
import { type CommandContext, withConnection } from '../../connection/connection.js';
import { ApiError } from '../../core/errors.js';
import { warn } from '../../core/output/messages.js';
import { renderRecord } from '../../core/output/record.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import type { InspectOptions } from './options.js';

export async function runInspect(options: InspectOptions, ctx: CommandContext): Promise<void> {
  if (options.token.kind === 'argument')
    warn(ctx, 'a token given as an argument lands in shell history; prefer --token-stdin');
  const token =
    options.token.kind === 'argument'
      ? options.token.value
      : await readSecretFromStdin(ctx, '--token-stdin');
  const session = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) =>
      authenticateConnectSession(client, token).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) {
          throw new ApiError('token unknown or expired', 'not_found', {
            status: 404,
          });
        }
        throw error;
      }),
  );
  await renderRecord(ctx, { wire: session.wire }, options.output);
}
