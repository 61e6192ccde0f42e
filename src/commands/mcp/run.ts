// runMcp: one target, opened at start and fixed for the life of the process; the tools (and the
// resources) over it, served over stdio until the client closes stdin or a signal arrives.
import {
  type CallToolResult,
  McpServer,
  ResourceTemplate,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { stateDir } from '../../config/paths.js';
import { type CommandContext, type Connection, using } from '../../connection/connection.js';
import { CliError, EXIT, ERROR_CODES, PASSING_CODES, visible } from '../../core/errors.js';
import { note, warn } from '../../core/output/messages.js';
import { listSessions } from '../../session/report.js';
import { AuditLog } from './audit.js';
import type { McpOptions } from './options.js';
import { forMcp } from './schema.js';
import { type Call, summaryOf, type Tool, type ToolEnv, TOOLS } from './tools.js';
import { LineTransport } from './transport.js';

export async function runMcp(options: McpOptions, ctx: CommandContext): Promise<void> {
  // Never a prompt: stdin is the protocol's. A missing target is an error before serving.
  const connection = await ctx.connect(options.target, {
    timeoutMs: options.timeoutMs,
    prompt: false,
    onRetry: ({ reason, waitMs }) =>
      warn(ctx, `${reason}; retrying in ${(waitMs / 1000).toFixed(1)}s`),
  });
  await using(connection, async () => {
    const audit = await AuditLog.open(stateDir(ctx.env), ctx.redactor);
    try {
      await serve(ctx, connection, options, audit);
    } finally {
      audit.close();
    }
  });
}

async function serve(
  ctx: CommandContext,
  connection: Connection,
  options: McpOptions,
  audit: AuditLog,
): Promise<void> {
  const env: ToolEnv = {
    ctx,
    connection,
    exposeTokens: options.exposeTokens,
    tokens: new Map(),
    intervalMs: options.intervalMs,
  };
  const offered = TOOLS.filter(
    (tool) =>
      (options.tools === undefined || options.tools.includes(tool.name)) &&
      (!tool.writes || options.allowWrites),
  );
  const transport = new LineTransport(ctx.stdin, ctx.stdout);
  const closed = transport.closed.then(() => 'closed' as const);
  const handle = serveStdio(
    () => {
      const server = new McpServer(
        { name: 'cst', version: ctx.version },
        {
          instructions:
            'Issue StackOne connect sessions for customers and follow them to a linked account. Send the customer the auth_link_url; never invent one.',
        },
      );
      for (const tool of offered) register(server, env, audit, tool);
      resources(server, env);
      return server;
    },
    {
      transport,
      onerror: (error) => ctx.debug(`mcp: ${error.message}`),
    },
  );
  const where =
    connection.target.org === null
      ? connection.target.kind
      : `${connection.target.org}/${connection.target.project}`;
  note(
    ctx,
    `cst mcp serving ${where} on stdio: ${offered.map((tool) => tool.name).join(', ')}${options.exposeTokens ? ' (tokens exposed)' : ''}`,
  );
  const ended = await Promise.race([closed, ctx.untilSignal()]);
  await handle.close();
  ctx.debug(`mcp: ${ended === 'closed' ? 'stdin closed' : ended}; stopped`);
}

function register(server: McpServer, env: ToolEnv, audit: AuditLog, tool: Tool): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: forMcp(tool.input),
      outputSchema: forMcp(tool.output),
      annotations: {
        title: tool.title,
        readOnlyHint: tool.readOnly,
        destructiveHint: tool.destructive,
        idempotentHint: tool.readOnly,
        openWorldHint: true,
      },
    },
    async (args: Record<string, unknown>, request: ServerContext): Promise<CallToolResult> => {
      const started = env.ctx.now().getTime();
      const entry = (outcome: string) =>
        audit.append({
          at: new Date(started).toISOString(),
          tool: tool.name,
          target: env.connection.id,
          arguments: args,
          outcome,
          ms: env.ctx.now().getTime() - started,
        });
      try {
        const result = await tool.run(env, args, callOf(server, request));
        entry('ok');
        return {
          // The client asked for this: the link (and with --expose-tokens the token) stays whole.
          content: [{ type: 'text', text: result.text }],
          structuredContent: result.data,
        };
      } catch (error) {
        const failure = asToolError(env, error);
        // A cancelled call gets no answer (the SDK drops it); the log still says how it ended.
        entry(request.mcpReq.signal.aborted ? 'cancelled' : `error: ${failure.code}`);
        return failure.result;
      }
    },
  );
}

/** What the handler may ask of the protocol for this one call. */
function callOf(server: McpServer, request: ServerContext): Call {
  const token = request.mcpReq._meta?.progressToken;
  return {
    signal: request.mcpReq.signal,
    async progress(progress, total, message) {
      if (token === undefined) return;
      await request.mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress,
          ...(total === undefined ? {} : { total }),
          message,
        },
      });
    },
    async confirm(message) {
      if (server.server.getClientCapabilities()?.elicitation === undefined) return undefined;
      try {
        const answer = await request.mcpReq.elicitInput({
          mode: 'form',
          message,
          requestedSchema: {
            type: 'object',
            properties: { confirm: { type: 'boolean', title: 'Yes, delete it' } },
            required: ['confirm'],
          },
        });
        return answer.action === 'accept' && answer.content?.confirm === true;
      } catch {
        // A client that cannot answer now: the tool's own confirm argument stands.
        return undefined;
      }
    },
  };
}

/** A cst error as the client sees it: its code, message and hint, never a crash. */
function asToolError(env: ToolEnv, error: unknown): { code: string; result: CallToolResult } {
  const known = error instanceof CliError;
  const code = known ? error.code : 'unexpected';
  const message = env.ctx.redactor.text(
    known ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`,
  );
  const retryable = known && PASSING_CODES.has(error.code);
  const retryAfter = known && error.retryAfterMs !== undefined ? error.retryAfterMs : undefined;
  const detail = {
    code,
    message,
    ...(known && error.hint ? { hint: env.ctx.redactor.text(error.hint) } : {}),
    exit: known ? error.exitCode : EXIT.unexpected,
    meaning: known ? ERROR_CODES[error.code].meaning : 'a bug in cst',
    retryable,
    ...(retryAfter === undefined ? {} : { retry_after_seconds: Math.ceil(retryAfter / 1000) }),
  };
  if (!known) env.ctx.stderr.write(`error: ${visible(message)}\n`);
  const lines = [
    `error (${code}): ${message}`,
    ...(detail.hint ? [`hint: ${detail.hint}`] : []),
    ...(retryable
      ? [
          `retryable${retryAfter === undefined ? '' : `: wait ${detail.retry_after_seconds}s`} before calling again`,
        ]
      : []),
  ];
  return {
    code,
    result: {
      isError: true,
      content: [{ type: 'text', text: lines.join('\n') }],
      _meta: { 'cst/error': detail },
    },
  };
}

function resources(server: McpServer, env: ToolEnv): void {
  const json = (uri: URL, value: unknown) => ({
    contents: [
      { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) },
    ],
  });
  server.registerResource(
    'session',
    new ResourceTemplate('cst://sessions/{id}', {
      list: async () => {
        const { rows } = await listSessions(
          env.connection.ledger,
          { target: env.connection.id, status: 'all', limit: 50, now: env.ctx.now().getTime() },
          false,
        );
        return {
          resources: rows.map((row) => ({
            uri: `cst://sessions/${row.id}`,
            name: `session ${row.id} (${row.owner_id})`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'A connect session',
      description: 'One session cst issued through this target, with its state',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = Number(variables.id);
      const { rows } = await listSessions(
        env.connection.ledger,
        {
          id: Number.isSafeInteger(id) ? id : -1,
          target: env.connection.id,
          status: 'all',
          limit: 1,
          now: env.ctx.now().getTime(),
        },
        false,
      );
      const row = rows[0];
      if (!row) throw new Error(`no session ${String(variables.id)} in this target's ledger`);
      const { v: _version, token_fp: _fingerprint, ...session } = row;
      return json(uri, session);
    },
  );
  server.registerResource(
    'summary',
    'cst://summary',
    {
      title: 'Session funnel',
      description: 'Issued, linked, pending, failed and expired sessions of this target',
      mimeType: 'application/json',
    },
    async (uri) => json(uri, { summary: await summaryOf(env) }),
  );
}
