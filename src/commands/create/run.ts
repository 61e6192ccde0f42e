// runCreate: fill in what is missing (prompting only on a terminal), issue the session
// (session/issue.ts) and render what came back.
import { connectSessionCreateToWire, type ConnectSessionCreate } from '../../api/request-fields.js';
import { CATEGORIES } from '../../api/constants.js';
import { canPrompt, type Context } from '../../core/context.js';
import { CliError, MissingFlagsError } from '../../core/errors.js';
import { renderRecord } from '../../core/output/record.js';
import { note, warn } from '../../core/output/messages.js';
import {
  type CommandContext,
  type Connection,
  describeCreate,
  using,
} from '../../connection/connection.js';
import { checkExpectedIds, issue } from '../../session/issue.js';
import type { CreateOptions } from './options.js';

export async function runCreate(options: CreateOptions, ctx: CommandContext): Promise<void> {
  if (options.request.integrationId !== undefined)
    warn(ctx, '--integration-id is deprecated by StackOne: use --connector-profile');
  if (options.bulk) return (await import('../../session/bulk/run.js')).runBulk(options.bulk, ctx);
  if (options.fromSession !== undefined)
    options = await fromSession(ctx, options, options.fromSession);
  const interactive = canPrompt(ctx);
  const opened = interactive
    ? await ctx.connect(options.target, { timeoutMs: options.timeoutMs })
    : await connectWithoutPrompts(ctx, options);
  await using(opened, async (connection) => {
    const request = interactive
      ? await promptMissing(ctx, connection, options.request)
      : (options.request as ConnectSessionCreate);
    const body = { ...connectSessionCreateToWire(request), ...options.extraBody };
    if (options.extraBody) {
      warn(
        ctx,
        `--body-json sets ${Object.keys(options.extraBody).join(', ')} as given, unchecked by cst`,
      );
    }
    if (typeof body.connector_profile_id === 'string' && !options.dryRun) {
      const { ProfileCheck } = await import('../../session/profile-check.js');
      await new ProfileCheck(ctx, options.strict).check(connection, body.connector_profile_id);
    }
    if (options.dryRun) {
      const described = describeCreate(ctx, connection.target.baseUrl, body);
      ctx.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
      return;
    }
    const issued = await issue(ctx, connection, body, async (session, record) => {
      await renderRecord(
        ctx,
        {
          wire: { ...session.wire, expires_at: record.expires_at },
          copyable: ['token', 'auth_link_url'],
        },
        options.output,
      );
      await ctx.stdout.flush?.();
    });
    const { session } = issued;
    const format = options.output.format ?? (ctx.stdout.isTTY ? 'table' : 'tsv');
    if (format === 'table' && options.output.field === undefined) {
      note(ctx, 'cst keeps no copy of this token: save it now if you need it.');
    }
    if (options.handoff.copy || options.handoff.open) {
      const { copyToClipboard, openInBrowser } = await import('../../core/output/handoff.js');
      if (session.authLinkUrl === null) warn(ctx, 'the response has no auth link to hand over');
      else {
        if (options.handoff.copy) copyToClipboard(ctx, session.authLinkUrl, 'the auth link');
        if (options.handoff.open) openInBrowser(ctx, session.authLinkUrl);
      }
    }
    // The token is printed: the session is not lost, only its record.
    if (issued.unrecorded) throw issued.unrecorded;
    checkExpectedIds(connection.target, session);
    if (options.wait) {
      // The session is printed already: the admin needs the link to send it. The outcome goes
      // to stderr and the exit code, so stdout stays what it is without --wait.
      const { waitForIssued } = await import('../../session/wait.js');
      const linked = await waitForIssued(ctx, connection, issued, options.wait);
      note(
        ctx,
        `linked: ${session.originOwnerId} connected ${linked.provider ?? 'an account'}: account ${linked.account_id}${linked.account_status ? ` (${linked.account_status})` : ''}`,
      );
    }
  });
}

/** Reissue: the earlier session's fields and target under the flags, which override them. */
async function fromSession(
  ctx: Context,
  options: CreateOptions,
  id: number,
): Promise<CreateOptions> {
  const { reissue } = await import('../../session/reissue.js');
  const earlier = await reissue(ctx, id, options.target.sandbox === true);
  const keepTarget =
    options.target.org === undefined && options.target.project === undefined && earlier.target;
  return {
    ...options,
    request: { ...earlier.request, ...options.request },
    target: { ...(keepTarget ? earlier.target : {}), ...options.target },
  };
}

/** Without a terminal, every missing value is named at once, before anything is sent. */
async function connectWithoutPrompts(
  ctx: CommandContext,
  options: CreateOptions,
): Promise<Connection> {
  const missing = [
    options.request.originOwnerId === undefined && '--owner-id',
    options.request.originOwnerName === undefined && '--owner-name',
  ].filter((flag): flag is string => flag !== false);
  let connection: Connection;
  try {
    connection = await ctx.connect(options.target, { timeoutMs: options.timeoutMs });
  } catch (error) {
    if (error instanceof MissingFlagsError) {
      throw new MissingFlagsError([...error.flags, ...missing], { hint: error.hint });
    }
    throw error;
  }
  if (missing.length > 0) {
    await connection.close();
    throw new MissingFlagsError(missing);
  }
  return connection;
}

async function promptMissing(
  ctx: Context,
  connection: Connection,
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
    // Asked along with the categories only: flags that chose them chose the rest too.
    if (filled.connectorProfileId === undefined && filled.integrationId === undefined) {
      const profile = await promptProfile(ctx, connection, filled.categories ?? []);
      if (profile !== undefined) filled.connectorProfileId = profile;
    }
  }
  const required = (value: string) => (value.trim() === '' ? 'required' : true);
  filled.originOwnerId ??= (
    await prompter.input('Owner id (your identifier for the customer)', required)
  ).trim();
  filled.originOwnerName ??= (await prompter.input('Owner name', required)).trim();
  return filled as ConnectSessionCreate;
}

/**
 * The project's enabled connector profiles for the chosen categories (all of them when none was
 * chosen), offered with "none" first; nothing is asked when there are none, or when StackOne
 * cannot list them (an older deployment): a session needs no profile.
 */
async function promptProfile(
  ctx: Context,
  connection: Connection,
  categories: readonly string[],
): Promise<string | undefined> {
  const { listConnectorProfiles } = await import('../../api/connector-profiles.js');
  const listed = await listConnectorProfiles(
    connection.client,
    { enabled: true },
    { pageSize: 100, limit: 200, maxPages: 2 },
  ).catch((error: unknown) => {
    if (!(error instanceof CliError)) throw error;
    ctx.debug(`connector profiles not offered: ${error.message}`);
    return { profiles: [] };
  });
  const offered = listed.profiles.filter(
    (profile) =>
      categories.length === 0 ||
      profile.categories.some((category) => categories.includes(category)),
  );
  if (offered.length === 0) return undefined;
  const none = '';
  const chosen = await (
    await ctx.prompter()
  ).select(
    'Connector profile',
    [
      { name: "none (StackOne's default)", value: none },
      ...offered.map((profile) => ({
        name: `${profile.name} (${profile.connector_key}: ${profile.id})`,
        value: profile.id,
      })),
    ],
    none,
  );
  return chosen === none ? undefined : chosen;
}
