// Raw mcp flags → typed McpOptions. Every problem is a UsageError naming the flag.
import * as z from 'zod/mini';
import { UsageError } from '../../core/errors.js';
import { intervalMs, nameList, parseFlags, timeoutMs } from '../../options/parse.js';
import { type TargetFlags, targetFlags } from '../../options/target.js';
import { TOOLS } from './tools.js';

export interface McpFlags {
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
  allowWrites?: boolean;
  tools?: string;
  exposeTokens?: boolean;
  interval: string;
}

export interface McpOptions {
  target: TargetFlags;
  timeoutMs: number;
  /** --allow-writes: update_account and delete_account are offered. */
  allowWrites: boolean;
  /** --tools: only these (undefined: every tool the other flags allow). */
  tools: string[] | undefined;
  exposeTokens: boolean;
  /** Time between polls of wait_for_link. */
  intervalMs: number;
}

const mcpFlagsSchema = z.object({
  timeout: timeoutMs,
  interval: intervalMs,
  tools: z.optional(nameList(TOOLS.map((tool) => tool.name))),
});

export function parseMcpOptions(flags: McpFlags): McpOptions {
  const f = parseFlags(mcpFlagsSchema, flags);
  const allowWrites = flags.allowWrites === true;
  const writes = TOOLS.filter((tool) => tool.writes && f.tools?.includes(tool.name));
  if (writes.length > 0 && !allowWrites)
    throw new UsageError(
      `--tools: ${writes.map((tool) => tool.name).join(', ')} change${writes.length === 1 ? 's' : ''} StackOne: add --allow-writes to offer ${writes.length === 1 ? 'it' : 'them'}`,
    );
  return {
    target: targetFlags(flags),
    timeoutMs: f.timeout,
    allowWrites,
    tools: f.tools,
    exposeTokens: flags.exposeTokens === true,
    intervalMs: f.interval,
  };
}
