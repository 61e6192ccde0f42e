import { authenticateConnectSession } from '../../api/connect-sessions.js';
import { SESSION_TOKEN_FIELDS } from '../../api/constants.js';
import { sessionToWire } from '../../api/schemas.js';
import { ApiError, EXIT, UsageError } from '../../errors.js';
import { parseOutputFlags, type OutputFlags } from '../../output/format.js';
import { warn } from '../../output/messages.js';
import { renderRecord } from '../../output/record.js';
import { readSecretFromStdin } from '../../util/stdin.js';
import { durationMs, usageFromZod } from '../../options/parse.js';
import { type CommandContext, withConnection } from '../../connection.js';

export interface InspectFlags extends OutputFlags {
  tokenStdin?: boolean;
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
}

const SESSION_FIELDS = SESSION_TOKEN_FIELDS.filter(
  (field) => field !== 'token' && field !== 'auth_link_url',
);

export async function runInspect(
  argument: string | undefined,
  flags: InspectFlags,
  ctx: CommandContext,
): Promise<void> {
  const output = parseOutputFlags(flags, SESSION_FIELDS);
  const timeout = durationMs.safeParse(flags.timeout);
  if (!timeout.success) throw usageFromZod(timeout.error);
  if (argument !== undefined && flags.tokenStdin)
    throw new UsageError('give the token as an argument or with --token-stdin, not both');
  if (argument === undefined && !flags.tokenStdin)
    throw new UsageError('missing the token: pipe it in with --token-stdin');
  if (argument !== undefined)
    warn(ctx, 'a token given as an argument lands in shell history; prefer --token-stdin');
  const token = argument ?? (await readSecretFromStdin(ctx, '--token-stdin'));
  const session = await withConnection(
    ctx,
    { org: flags.org, project: flags.project, sandbox: flags.sandbox },
    { timeoutMs: timeout.data },
    ({ client }) =>
      authenticateConnectSession(client, token).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) {
          throw new ApiError('token unknown or expired', 'not_found', EXIT.notFound, {
            status: 404,
          });
        }
        throw error;
      }),
  );
  await renderRecord(ctx, { wire: sessionToWire(session) }, output);
}
