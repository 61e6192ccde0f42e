// `cst mcp`: flags and help only.
import { Command } from 'commander';
import { addTargetOptions, type Dispatch, examples, FLAG_DEFAULTS } from '../../cmdutil/shared.js';
import { DURATION_HELP } from '../../core/util/duration.js';
import type { McpFlags } from './options.js';

/** The tools' names, for help: the tools themselves load only when the server runs. */
export const MCP_TOOL_NAMES = [
  'create_connect_session',
  'get_session_status',
  'wait_for_link',
  'list_sessions',
  'session_summary',
  'list_accounts',
  'get_account',
  'list_connector_profiles',
  'update_account',
  'delete_account',
];

export function mcpCommand(run: Dispatch): Command {
  const command = new Command('mcp')
    .description(
      'Serve cst to AI agents: a Model Context Protocol server on stdin/stdout for one fixed target',
    )
    .option('--allow-writes', 'also offer update_account and delete_account')
    .option('--tools <names>', 'offer only these tools (a comma list of the names below)')
    .option('--expose-tokens', 'create_connect_session returns the token too, not only the link')
    .option(
      '--interval <duration>',
      `time between wait_for_link's polls: ${DURATION_HELP}`,
      FLAG_DEFAULTS.interval,
    );
  addTargetOptions(command);
  return command
    .addHelpText(
      'after',
      `\nTools: ${MCP_TOOL_NAMES.join(', ')}\n(update_account and delete_account with --allow-writes only).\nThe organization and project are fixed when the server starts: no tool can choose them.\nLogs go to stderr; every tool call is appended to mcp-audit.jsonl beside the ledger.\n${examples(
        [
          'cst mcp --org acme --project prod',
          'cst mcp --sandbox --tools create_connect_session,wait_for_link',
          'cst mcp --org acme --project prod --allow-writes',
        ],
      )}`,
    )
    .action(async (flags: McpFlags) => {
      const { parseMcpOptions } = await import('./options.js');
      await run('mcp', parseMcpOptions(flags), async () => (await import('./run.js')).runMcp);
    });
}
