// runCreate: fill in what is missing (prompting only on a terminal), send one
// POST /connect_sessions, and render what came back.
import { ApiClient } from '../../api/client.js';
import {
  connectSessionCreateToWire,
  type ConnectSessionCreate,
  type ConnectSessionToken,
  sessionToWire,
} from '../../api/schemas.js';
import { createConnectSession } from '../../api/connect-sessions.js';
import { CATEGORIES, DEFAULT_EXPIRES_IN_SECONDS } from '../../api/constants.js';
import { createDispatcher } from '../../api/undici.js';
import { resolveTarget, type Target } from '../../config/target.js';
import { canPrompt, type Context } from '../../context.js';
import { ConfigError, MissingFlagsError } from '../../errors.js';
import { renderRecord } from '../../output/record.js';
import { warn, note } from '../../output/messages.js';
import type { CreateOptions } from './options.js';

export async function runCreate(options: CreateOptions, ctx: Context): Promise<void> {
  const interactive = canPrompt(ctx);
  const target = interactive
    ? await resolveTarget(ctx, options.target)
    : await resolveWithoutPrompts(ctx, options);
  const dispatcher = createDispatcher(options.timeoutMs);
  try {
    const request = interactive
      ? await promptMissing(ctx, options.request)
      : (options.request as ConnectSessionCreate);
    const body = { ...connectSessionCreateToWire(request), ...options.extraBody };
    if (options.extraBody)
      warn(
        ctx,
        `--body-json sets ${Object.keys(options.extraBody).join(', ')} as given, unchecked by cst`,
      );
    const client = new ApiClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      dispatcher,
      userAgent: `cst/${ctx.version} (node ${process.version}; ${process.platform} ${process.arch})`,
      timeoutMs: options.timeoutMs,
      onRetry: ({ attempt, waitMs, reason }) =>
        warn(ctx, `${reason}; retrying in ${(waitMs / 1000).toFixed(1)}s (retry ${attempt})`),
    });
    const session = await createConnectSession(client, body);
    const expiresIn =
      typeof body.expires_in === 'number' ? body.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
    const format = options.output.format ?? (ctx.stdout.isTTY ? 'table' : 'tsv');
    await renderRecord(
      ctx,
      { wire: sessionToWire(session), extraRows: [['expires_at', expiresAt(session, expiresIn)]] },
      options.output,
    );
    if (format === 'table' && options.output.field === undefined) {
      note(ctx, 'cst keeps no copy of this token: save it now if you need it.');
    }
    checkExpectedIds(target, session);
  } finally {
    await dispatcher.close();
    await target.close();
  }
}

/** Without a terminal, every missing value is named at once, before anything is sent. */
async function resolveWithoutPrompts(ctx: Context, options: CreateOptions): Promise<Target> {
  const missing = [
    options.request.originOwnerId === undefined && '--owner-id',
    options.request.originOwnerName === undefined && '--owner-name',
  ].filter((flag): flag is string => flag !== false);
  let target: Target;
  try {
    target = await resolveTarget(ctx, options.target);
  } catch (error) {
    if (error instanceof MissingFlagsError) {
      throw new MissingFlagsError([...error.flags, ...missing], { hint: error.hint });
    }
    throw error;
  }
  if (missing.length > 0) {
    await target.close();
    throw new MissingFlagsError(missing);
  }
  return target;
}

async function promptMissing(
  ctx: Context,
  request: Partial<ConnectSessionCreate>,
): Promise<ConnectSessionCreate> {
  const prompter = await ctx.prompter();
  const filled = { ...request };
  if (filled.categories === undefined) {
    const chosen = await prompter.checkbox(
      'Categories (none: let the customer choose)',
      CATEGORIES.map((c) => ({ name: c, value: c })),
    );
    if (chosen.length > 0) filled.categories = chosen;
  }
  const required = (value: string) => (value.trim() === '' ? 'required' : true);
  filled.originOwnerId ??= (
    await prompter.input('Owner id (your identifier for the customer)', required)
  ).trim();
  filled.originOwnerName ??= (await prompter.input('Owner name', required)).trim();
  return filled as ConnectSessionCreate;
}

function expiresAt(session: ConnectSessionToken, expiresInSeconds: number): string {
  const created = Date.parse(session.createdAt);
  return Number.isNaN(created) ? '' : new Date(created + expiresInSeconds * 1000).toISOString();
}

/** A key that belongs to another project than the config says is a config problem worth exit 3. */
function checkExpectedIds(target: Target, session: ConnectSessionToken): void {
  const mismatches = [
    target.expectedOrganizationId !== undefined &&
    target.expectedOrganizationId !== session.organizationId
      ? `organization ${session.organizationId} (expected ${target.expectedOrganizationId})`
      : undefined,
    target.expectedProjectId !== undefined && target.expectedProjectId !== session.projectId
      ? `project ${session.projectId} (expected ${target.expectedProjectId})`
      : undefined,
  ].filter((text) => text !== undefined);
  if (mismatches.length > 0) {
    throw new ConfigError(
      `the API key of ${target.org}/${target.project} belongs to another project: the session above was created in ${mismatches.join(', ')}`,
      'project_mismatch',
      { hint: 'fix the key or the expected ids in the config' },
    );
  }
}
