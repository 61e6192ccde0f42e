import { stateDir } from '../../config/paths.js';
import type { Context } from '../../core/context.js';
import { flushStdout, UsageError, visible } from '../../core/errors.js';
import { note } from '../../core/output/messages.js';
import { startSandbox } from '../../sandbox/server.js';
import type { ServeOptions } from './options.js';

export async function runServe(options: ServeOptions, ctx: Context): Promise<void> {
  const { port } = options;
  let sandbox;
  try {
    sandbox = await startSandbox({
      stateDir: stateDir(ctx.env),
      port,
      now: () => ctx.now(),
      rateLimitPerMinute: options.rateLimitPerMinute,
      faults: options.faults,
      ...(options.quiet ? {} : { onRequest: (entry) => logRequest(ctx, entry) }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`--port: ${port} is already in use`, {
        hint: 'pick another with --port, or --port 0 for any free one',
      });
    }
    throw error;
  }
  const state = await sandbox.store.read();
  const projects = state.organizations.flatMap((org) =>
    org.projects.map((p) => ({
      organization: org.name,
      organization_id: org.id,
      project: p.name,
      project_id: p.id,
      api_key: p.apiKey,
      default: p.default === true,
    })),
  );
  if (options.json) {
    ctx.stdout.write(
      `${JSON.stringify({ base_url: sandbox.baseUrl, state_file: sandbox.store.path, projects })}\n`,
    );
  } else {
    // Ready to paste: the default project as an export line, the others commented out, aligned.
    const chosen = projects.find((p) => p.default) ?? projects[0]!;
    const name = (p: (typeof projects)[number]) => `${p.organization}/${p.project}`;
    const width = Math.max(...projects.map((p) => name(p).length));
    ctx.stdout.write(
      `export CST_BASE_URL=${sandbox.baseUrl} CST_API_KEY=${chosen.api_key}   # ${name(chosen)}\n`,
    );
    for (const p of projects.filter((other) => other !== chosen))
      ctx.stdout.write(`# ${name(p).padEnd(width)}  CST_API_KEY=${p.api_key}\n`);
  }
  // The base URL and keys are what a serve is for: a sandbox nobody can learn the address of
  // stops (exit 1) instead of serving on. A reader gone already (`| head -1` took its line) is
  // the SIGPIPE path's to handle.
  await flushStdout(ctx.stdout).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  if (!options.json) {
    note(
      ctx,
      `sandbox listening on ${sandbox.baseUrl} (state: ${sandbox.store.path}); Ctrl-C stops it`,
    );
  }
  await ctx.untilSignal();
  await sandbox.close();
}

/** One line a request: never a query string, a header or a body, so never a key or token. */
function logRequest(
  ctx: Context,
  entry: { method: string; path: string; status: number; ms: number },
): void {
  if (ctx.jsonMessages) ctx.stderr.write(`${JSON.stringify({ request: entry })}\n`);
  else
    ctx.stderr.write(`${visible(`${entry.method} ${entry.path}`)} ${entry.status} ${entry.ms}ms\n`);
}
