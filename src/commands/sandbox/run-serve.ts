import { stateDir } from '../../config/paths.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { startSandbox } from '../../sandbox/server.js';
import type { ServeFlags } from './serve.js';

export async function runServe(flags: ServeFlags, ctx: Context): Promise<void> {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535)
    throw new UsageError(`--port: "${flags.port}" is not a port number`);
  let sandbox;
  try {
    sandbox = await startSandbox({ stateDir: stateDir(ctx.env), port, now: () => ctx.now() });
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
  if (flags.json) {
    ctx.stdout.write(
      `${JSON.stringify({ base_url: sandbox.baseUrl, state_file: sandbox.store.path, projects })}\n`,
    );
  } else {
    ctx.stdout.write(`base_url\t${sandbox.baseUrl}\n`);
    for (const p of projects)
      ctx.stdout.write(
        `${p.organization}/${p.project}\t${p.api_key}${p.default ? '\tdefault' : ''}\n`,
      );
    ctx.stderr.write(
      `Sandbox listening on ${sandbox.baseUrl} (state: ${sandbox.store.path}); Ctrl-C stops it.\n`,
    );
  }
  await ctx.untilSignal();
  await sandbox.close();
}
