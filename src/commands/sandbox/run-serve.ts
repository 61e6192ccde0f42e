import { stateDir } from '../../config/paths.js';
import type { Context } from '../../context.js';
import { UsageError, visible } from '../../errors.js';
import { note } from '../../output/messages.js';
import { parseRate } from '../../bulk/pacer.js';
import { FAULTS, type Fault, parseFault } from '../../sandbox/faults.js';
import { type SandboxOptions, startSandbox } from '../../sandbox/server.js';
import { parseDurationMs } from '../../util/duration.js';
import type { ServeFlags } from './serve.js';

export async function runServe(flags: ServeFlags, ctx: Context): Promise<void> {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535)
    throw new UsageError(`--port: "${flags.port}" is not a port number`);
  const faults = parseFaultFlags(flags);
  let sandbox;
  try {
    sandbox = await startSandbox({
      stateDir: stateDir(ctx.env),
      port,
      now: () => ctx.now(),
      ...faults,
      ...(flags.quiet ? {} : { onRequest: (entry) => logRequest(ctx, entry) }),
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
  if (flags.json) {
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

function parseFaultFlags(flags: ServeFlags): Pick<SandboxOptions, 'faults' | 'rateLimitPerMinute'> {
  const duration = (flag: string, text: string | undefined) => {
    if (text === undefined) return 0;
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new UsageError(`${flag}: "${text}" is not a duration`);
    return ms;
  };
  const rates: Partial<Record<Fault, number>> = {};
  for (const text of flags.fault ?? []) {
    const fault = parseFault(text);
    if (!fault)
      throw new UsageError(
        `--fault: "${text}" is not name=probability with a name among ${FAULTS.join(', ')}`,
      );
    rates[fault[0]] = fault[1];
  }
  const perSecond = flags.rateLimit === undefined ? 1000 / 60 : parseRate(flags.rateLimit);
  if (perSecond === undefined)
    throw new UsageError(`--rate-limit: "${flags.rateLimit}" is not a rate`);
  if (!/^\d+$/.test(flags.seed ?? '1'))
    throw new UsageError(`--seed: "${flags.seed}" is not a whole number`);
  return {
    rateLimitPerMinute: perSecond === Infinity ? 0 : Math.round(perSecond * 60),
    faults: {
      latencyMs: duration('--latency', flags.latency),
      jitterMs: duration('--jitter', flags.jitter),
      rates,
      seed: Number(flags.seed ?? '1'),
    },
  };
}
