// runCreate: fill in what is missing (prompting only on a terminal), send one
// POST /connect_sessions, and render what came back.
import {
  REQUEST_FIELDS,
  connectSessionCreateToWire,
  type ConnectSessionCreate,
} from '../../api/request-fields.js';
import type { ConnectSessionToken } from '../../api/schemas.js';
import { createConnectSession } from '../../api/connect-sessions.js';
import { CATEGORIES, CATEGORY_ALIASES } from '../../api/constants.js';
import { stateDir } from '../../config/paths.js';
import type { Target } from '../../config/target.js';
import { canPrompt, type Context } from '../../context.js';
import {
  ConfigError,
  InterruptedError,
  InvalidResponseError,
  ioReason,
  MissingFlagsError,
  StateWriteError,
  UndeliveredError,
  UsageError,
} from '../../errors.js';
import { SERVER_MAY_HAVE_ACTED } from '../../api/outcomes.js';
import { ledgerRecord } from '../../ledger/record.js';
import { type Ledger, openLedger } from '../../ledger/ledger.js';
import { renderRecord } from '../../output/record.js';
import { note, warn } from '../../output/messages.js';
import { type CommandContext, type Connection, describeCreate, using } from '../../connection.js';
import type { CreateOptions } from './options.js';
import { unusableCreate } from './unusable.js';

export async function runCreate(options: CreateOptions, ctx: CommandContext): Promise<void> {
  if (options.request.integrationId !== undefined)
    warn(ctx, '--integration-id is deprecated by StackOne: use --connector-profile');
  if (options.bulk) return (await import('../../session/bulk/run.js')).runBulk(options.bulk, ctx);
  if (options.fromSession !== undefined)
    options = await fromSession(ctx, options, options.fromSession);
  const interactive = canPrompt(ctx);
  const connection = interactive
    ? await ctx.connect(options.target, { timeoutMs: options.timeoutMs })
    : await connectWithoutPrompts(ctx, options);
  await using(connection, async ({ client, target, id: tid, ledger }) => {
    const request = interactive
      ? await promptMissing(ctx, options.request)
      : (options.request as ConnectSessionCreate);
    const body = { ...connectSessionCreateToWire(request), ...options.extraBody };
    if (options.extraBody) {
      warn(
        ctx,
        `--body-json sets ${Object.keys(options.extraBody).join(', ')} as given, unchecked by cst`,
      );
    }
    if (options.dryRun) {
      ctx.stdout.write(`${JSON.stringify(describeCreate(ctx, target.baseUrl, body), null, 2)}\n`);
      return;
    }
    await warnIfActive(ctx, ledger, tid, request.originOwnerId);
    const session = await ctx.unlessSignalled(
      createConnectSession(client, body).catch(async (error: unknown) => {
        if (!(error instanceof InvalidResponseError) || !isSuccess(error.status)) throw error;
        throw await unusableCreate(error, {
          body,
          target: tid,
          org: target.org,
          project: target.project,
          ledger,
          now: ctx.now(),
        });
      }),
      (signal) =>
        new InterruptedError(signal, 'interrupted while the session was being created', {
          hint: SERVER_MAY_HAVE_ACTED,
        }),
    );
    // From here on the session exists: whatever fails, the user learns its id.
    ctx.redactor.add(session.token);
    ctx.redactor.add(session.authLinkUrl);
    const record = ledgerRecord({
      session,
      target: tid,
      org: target.org,
      project: target.project,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    });
    let undelivered: unknown;
    try {
      await renderRecord(
        ctx,
        {
          wire: { ...session.wire, expires_at: record.expires_at },
          copyable: ['token', 'auth_link_url'],
        },
        options.output,
      );
      await ctx.stdout.flush?.();
    } catch (error) {
      undelivered = error;
    }
    let unrecorded: unknown;
    try {
      await ledger.append(record);
    } catch (error) {
      unrecorded = error;
    }
    if (undelivered !== undefined) {
      throw new UndeliveredError(
        `session ${session.id} for owner ${session.originOwnerId} was created, but its token could not be written to stdout: ${ioReason(undelivered)}`,
        {
          hint:
            unrecorded === undefined
              ? `'cst create --from-session ${session.id}${tid === 'sandbox' ? ' --sandbox' : ''}' issues a new one once stdout works`
              : `it is not in the ledger either (${ioReason(unrecorded)})`,
        },
      );
    }
    const format = options.output.format ?? (ctx.stdout.isTTY ? 'table' : 'tsv');
    if (format === 'table' && options.output.field === undefined) {
      note(ctx, 'cst keeps no copy of this token: save it now if you need it.');
    }
    if (options.handoff.copy || options.handoff.open) {
      const { copyToClipboard, openInBrowser } = await import('../../output/handoff.js');
      if (session.authLinkUrl === null) warn(ctx, 'the response has no auth link to hand over');
      else {
        if (options.handoff.copy) copyToClipboard(ctx, session.authLinkUrl, 'the auth link');
        if (options.handoff.open) openInBrowser(ctx, session.authLinkUrl);
      }
    }
    if (unrecorded !== undefined) {
      // The token is printed: the session is not lost, only its record.
      throw new StateWriteError(
        `the record of session ${session.id} to the ledger`,
        ledger.where,
        unrecorded,
      );
    }
    checkExpectedIds(target, session);
    if (options.wait) {
      // The session is printed already: the admin needs the link to send it. The outcome goes
      // to stderr and the exit code, so stdout stays what it is without --wait.
      const { linkedOutcome, recordFailure, recordOutcome, waitForToken } =
        await import('../../session/wait.js');
      const linked = await waitForToken(ctx, client, session.token, {
        ...options.wait,
        expiresAt: record.expires_at === null ? undefined : Date.parse(record.expires_at),
        known: { sessionId: session.id, ownerId: session.originOwnerId },
        sandbox: tid === 'sandbox',
      }).catch((error: unknown) => recordFailure(ledger, tid, error, ctx));
      await recordOutcome(ledger, tid, linkedOutcome(linked), ctx);
      note(
        ctx,
        `linked: ${session.originOwnerId} connected ${linked.provider ?? 'an account'}: account ${linked.account_id}${linked.account_status ? ` (${linked.account_status})` : ''}`,
      );
    }
  });
}

const isSuccess = (status: number | undefined) =>
  status !== undefined && status >= 200 && status < 300;

/** Reissue: the owner, categories, provider, label and type of a ledger record; flags override. */
async function fromSession(
  ctx: Context,
  options: CreateOptions,
  id: number,
): Promise<CreateOptions> {
  const sandbox = options.target.sandbox === true;
  const { rows } = await openLedger(stateDir(ctx.env), sandbox).query({
    id,
    status: 'all',
    limit: 1,
    first: true,
    now: ctx.now().getTime(),
  });
  const record = rows[0];
  if (!record) {
    throw new UsageError(
      `--from-session: no session ${id} in the ${sandbox ? 'sandbox ' : ''}ledger`,
      { hint: `'cst list${sandbox ? ' --sandbox' : ''}' shows the sessions cst issued` },
    );
  }
  // What the field table marks to carry over, as the ledger kept it.
  const inherited: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) {
    if (!field.reissue || field.ledger === undefined) continue;
    const value = (record as unknown as Readonly<Record<string, unknown>>)[field.ledger];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
      continue;
    // A server may echo categories in the spec examples' camelCase: sent back as wire values.
    inherited[field.key] =
      field.kind === 'categories'
        ? (value as string[]).map((c) => CATEGORY_ALIASES[c] ?? c)
        : value;
  }
  const targetFlags =
    options.target.org === undefined &&
    options.target.project === undefined &&
    record.org !== null &&
    record.project !== null
      ? { org: record.org, project: record.project }
      : {};
  return {
    ...options,
    request: { ...inherited, ...options.request },
    target: { ...targetFlags, ...options.target },
  };
}

/** Issuing a second live link to the same customer is usually a mistake worth a line. */
async function warnIfActive(
  ctx: Context,
  ledger: Ledger,
  target: string,
  ownerId: string,
): Promise<void> {
  try {
    const { rows } = await ledger.query({
      target,
      ownerId,
      status: 'active',
      limit: 1,
      first: true,
      now: ctx.now().getTime(),
    });
    const active = rows[0];
    if (active)
      warn(
        ctx,
        `${ownerId} already has an active session ${active.id} (expires ${active.expires_at}); issuing another`,
      );
  } catch {
    // The ledger is a convenience here; a create must not fail because it cannot be read.
  }
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
