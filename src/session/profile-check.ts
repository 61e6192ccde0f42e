// Whether a --connector-profile names a profile of the project, before a session is sent: a
// warning (StackOne's list may lag a profile just made), or with --strict a usage error. Each
// target's profiles are listed once per run and each unknown id is warned about once.
import { listConnectorProfiles } from '../api/connector-profiles.js';
import { type Connection, maxPages } from '../connection/connection.js';
import type { Context } from '../core/context.js';
import { CliError, UsageError } from '../core/errors.js';
import { warn } from '../core/output/messages.js';
import { targetName } from './issue.js';

export class ProfileCheck {
  private readonly listed = new Map<string, Promise<Set<string> | undefined>>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly ctx: Context,
    private readonly strict: boolean,
  ) {}

  async check(connection: Connection, id: string): Promise<void> {
    const where = targetName(connection.target);
    let ids = this.listed.get(connection.id);
    if (!ids) {
      ids = listConnectorProfiles(
        connection.client,
        {},
        { pageSize: 100, limit: Infinity, maxPages: maxPages(this.ctx) },
      ).then(
        ({ profiles }) => new Set(profiles.map((profile) => profile.id)),
        (error: unknown) => {
          if (!(error instanceof CliError)) throw error;
          warn(this.ctx, `cannot check --connector-profile against ${where}: ${error.message}`);
          return undefined;
        },
      );
      this.listed.set(connection.id, ids);
    }
    const known = await ids;
    if (!known || known.has(id)) return;
    const problem = `--connector-profile: ${id} names no connector profile of ${where}`;
    if (this.strict)
      throw new UsageError(problem, {
        hint: `'cst connector-profiles list' shows them; without --strict, cst sends it anyway`,
      });
    const key = `${connection.id}\u0000${id}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    warn(this.ctx, `${problem}; sending anyway (StackOne's list may lag; --strict refuses)`);
  }
}
