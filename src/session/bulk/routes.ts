// Where a row goes: each target a run meets (the default one, or a row's own org/project) gets
// its own connection, its own pace under its key's rate limit, and its own journal, each opened
// when the first row needs it. A run whose rows all name their target needs no default one.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { CommandContext, Connection } from '../../connection/connection.js';
import { CliError, StateWriteError } from '../../core/errors.js';
import { LockBusyError } from '../../core/util/lock.js';
import type { RowJournal } from '../../ledger/ledger.js';
import { Journal } from './journal.js';
import { defaultJournal, describeJournal } from './journals.js';
import { Pacer } from './pacer.js';
import type { BulkPlan } from './plan.js';

export interface Route {
  connection: Connection;
  pacer: Pacer;
  /** The journal this target's rows are recorded in (opened, and locked, on first use). */
  journal(): Promise<RowJournal>;
}

export class Routes {
  private readonly routes = new Map<string, Promise<Route>>();
  private readonly journals = new Map<string, Promise<RowJournal>>();
  /** This runner among others sharing a store: host, process and a random part. */
  private readonly runner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly ctx: CommandContext,
    private readonly plan: BulkPlan,
  ) {}

  /** The key of the rows that name no target of their own. */
  get defaultKey(): string {
    return keyOf(this.plan.target.org, this.plan.target.project);
  }

  keyOf(row: { org: string | undefined; project: string | undefined }): string {
    return keyOf(row.org, row.project);
  }

  /** The route of org/project (the plan's own when a row names neither). */
  route(org: string | undefined, project: string | undefined): Promise<Route> {
    const key = keyOf(org, project);
    let route = this.routes.get(key);
    if (!route) {
      const pacer = new Pacer(this.plan.ratePerSecond, this.plan.concurrency, {
        now: () => this.ctx.now().getTime(),
        sleep: (ms) => this.ctx.timer.sleep(ms),
      });
      route = this.ctx
        .connect(
          { ...this.plan.target, org, project },
          // A 429's Retry-After holds back every worker of this key, not just the one that met it.
          {
            timeoutMs: this.plan.timeoutMs,
            onRetry: ({ waitMs }) => pacer.pauseFor(waitMs),
            subject: `org/project "${org ?? ''}/${project ?? ''}"`,
          },
        )
        .then(async (connection) => {
          // A shared store that cannot be reached stops the run before a row is sent.
          await connection.ledger.ready().catch(async (error: unknown) => {
            await connection.close();
            throw error;
          });
          return { connection, pacer, journal: () => this.journalOf(connection) };
        });
      this.routes.set(key, route);
    }
    return route;
  }

  private journalOf(connection: Connection): Promise<RowJournal> {
    // With a shared store, the journal is the target's there: every runner, whatever its input
    // file is called on its machine, claims the same rows.
    if (connection.ledger.journal) {
      const name = this.plan.journal ?? connection.id;
      let shared = this.journals.get(`shared:${name}`);
      if (!shared) {
        shared = connection.ledger.journal(name, this.runner, this.plan.leaseMs);
        this.journals.set(`shared:${name}`, shared);
      }
      return shared;
    }
    const path = this.plan.journal ?? defaultJournal(this.ctx.env, this.plan.input, connection.id);
    let journal = this.journals.get(path);
    if (!journal) {
      // A journal of the state directory says which input and target it is about.
      const about = this.plan.journal === undefined ? this.plan.input : undefined;
      journal = openJournal(path, about, connection, () => this.ctx.now());
      this.journals.set(path, journal);
    }
    return journal;
  }

  /** Journals synced and unlocked, connections released; what failed to open is passed over. */
  async close(): Promise<void> {
    for (const journal of this.journals.values()) (await journal.catch(() => undefined))?.close();
    for (const route of this.routes.values())
      await (await route.catch(() => undefined))?.connection.close();
  }
}

const keyOf = (org: string | undefined, project: string | undefined) =>
  `${org ?? ''}/${project ?? ''}`;

/** Opens and locks a journal; with `input`, describes it for `cst journal list`. */
async function openJournal(
  path: string,
  input: string | undefined,
  connection: Connection,
  now: () => Date,
): Promise<Journal> {
  let journal: Journal;
  try {
    journal = await Journal.open(path, now);
  } catch (error) {
    if (error instanceof LockBusyError)
      throw new CliError(
        `another cst run is using the journal ${path}${error.pid ? ` (pid ${error.pid})` : ''}`,
        'journal_locked',
      );
    throw new StateWriteError('the journal', path, error);
  }
  if (input !== undefined) {
    const info = {
      input: resolve(input),
      target: connection.id,
      org: connection.target.org,
      project: connection.target.project,
    };
    await describeJournal(path, info).catch((error: unknown) => {
      journal.close();
      throw new StateWriteError('the journal', path, error);
    });
  }
  return journal;
}
