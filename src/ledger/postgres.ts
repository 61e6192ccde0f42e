// The ledger in PostgreSQL (CST_STATE_URL): the same records and outcomes as the files, shared by
// every runner and laptop that points at the database. One row per target and session id (a
// second append of the same session adds nothing), outcomes upserted so the latest wins, the
// record kept as the JSON text cst wrote. The schema is cst's own, versioned, forward-only, and
// migrated on first use when the role may.
import type { Pool, PoolClient } from 'pg';
import type { Context } from '../core/context.js';
import { CliError, ConfigError } from '../core/errors.js';
import { note, warn } from '../core/output/messages.js';
import type { Claim, Ledger, RowJournal, RowState, Spill } from './ledger.js';
import type { LedgerQuery } from './query.js';
import { type LedgerRecord, ledgerRecordSchema, withKeptDefaults } from './record.js';
import { type OutcomeRecord, outcomeKey, type ScanResult } from './store.js';

/** The schema this cst writes; a store at a newer one is refused, an older one migrated. */
export const SCHEMA_VERSION = 2;

/** Step n takes the schema from version n to n + 1. Never edited once released: append. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE cst_ledger (
     target text NOT NULL,
     id double precision NOT NULL,
     org text,
     project text,
     owner_id text NOT NULL,
     token_fp text,
     created_at timestamptz NOT NULL,
     expires_at timestamptz,
     record json NOT NULL,
     seq bigserial NOT NULL,
     PRIMARY KEY (target, id)
   );
   CREATE INDEX cst_ledger_seq ON cst_ledger (seq);
   CREATE INDEX cst_ledger_owner ON cst_ledger (owner_id);
   CREATE INDEX cst_ledger_token ON cst_ledger (token_fp);
   CREATE INDEX cst_ledger_created ON cst_ledger (created_at);
   CREATE TABLE cst_outcomes (
     target text NOT NULL,
     session_id double precision NOT NULL,
     record json NOT NULL,
     PRIMARY KEY (target, session_id)
   );`,
  // Bulk journals: one row per journal (a target) and row identity, claimed before it is sent.
  `CREATE TABLE cst_journal (
     journal text NOT NULL,
     key text NOT NULL,
     state text NOT NULL,
     line integer NOT NULL,
     session_id double precision,
     runner text NOT NULL,
     lease_until timestamptz,
     at timestamptz NOT NULL,
     PRIMARY KEY (journal, key)
   );`,
];

/** The URL as messages may show it: no password, ever. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'CST_STATE_URL (not a URL)';
  }
}

/** Only PostgreSQL's URLs: anything else would fail later, and less clearly. */
function checkUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new ConfigError(
      `CST_STATE_URL is not a PostgreSQL URL: ${protocol === undefined ? 'it does not parse' : `it starts ${protocol}//`}`,
      'config',
      {
        hint: 'a PostgreSQL URL reads like postgres://db.example.com:5432/cst, user and password before the host',
      },
    );
}

/** The shared store: config/state.ts hands it out when a URL is set. */
export class PostgresLedger implements Ledger {
  readonly where: string;
  private pool: Promise<Pool> | undefined;

  constructor(
    private readonly url: string,
    private readonly ctx: Context,
    /** false: `cst state migrate`, which migrates itself and says how. */
    private readonly migrateOnConnect = true,
    /** Where records go while the store is down (none: they fail). */
    private readonly spill?: Spill,
  ) {
    this.where = safeUrl(url);
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password !== '') ctx.redactor.add(password);
    } catch {
      // An unparsable URL fails at connect, named without its password by safeUrl.
    }
  }

  async ready(): Promise<void> {
    await this.connect();
  }

  async append(record: LedgerRecord): Promise<void> {
    await this.orSpill(
      record,
      (spill) => spill.append(record),
      () => this.insert(record),
    );
  }

  /** A write that fails for the store's sake goes to the spill file, with a warning naming it. */
  private async orSpill(
    what: LedgerRecord | OutcomeRecord,
    spilled: (spill: Spill) => Promise<void>,
    write: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!this.spill || !(error instanceof CliError)) throw error;
      await spilled(this.spill);
      if (this.spilled++ > 0) return;
      const id = 'session_id' in what ? what.session_id : what.id;
      warn(
        this.ctx,
        `the state store could not take session ${id} (${error.message}); kept in ${this.spill.path} (with any more this run), pushed there by the next cst that reaches it`,
      );
    }
  }

  private async insert(record: LedgerRecord): Promise<void> {
    await this.run('record the session', (db) => insertOn(db, record));
  }

  async query(query: LedgerQuery): Promise<ScanResult> {
    const where: string[] = [];
    const values: unknown[] = [];
    const is = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (query.target !== undefined) is('target = ?', query.target);
    if (query.org !== undefined) is('org = ?', query.org);
    if (query.project !== undefined) is('project = ?', query.project);
    if (query.ownerId !== undefined) is('owner_id = ?', query.ownerId);
    if (query.tokenFp !== undefined) is('token_fp = ?', query.tokenFp);
    if (query.id !== undefined) is('id = ?', query.id);
    if (query.categories !== undefined)
      is(`(record::jsonb -> 'categories') ?& ?::text[]`, query.categories);
    if (query.since !== undefined) is('created_at >= ?', new Date(query.since));
    if (query.until !== undefined) is('created_at <= ?', new Date(query.until));
    if (query.status === 'active') is('expires_at > ?', new Date(query.now));
    if (query.status === 'expired')
      is('(expires_at IS NULL OR expires_at <= ?)', new Date(query.now));
    const limit = query.first ? 1 : query.limit;
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // The page by the seq index, and the count on its own: a window count would carry every
    // matching record's JSON through the sort.
    const [result, counted] = await this.run('read', (db) =>
      Promise.all([
        db.query<{ record: string }>(
          `SELECT record::text AS record FROM cst_ledger ${filter} ORDER BY seq DESC
           ${Number.isFinite(limit) ? `LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`,
          values,
        ),
        query.first
          ? Promise.resolve(undefined)
          : db.query<{ total: string }>(
              `SELECT count(*) AS total FROM cst_ledger ${filter}`,
              values,
            ),
      ]),
    );
    const parsed = result.rows.map((row) => JSON.parse(row.record) as unknown);
    const rows = parsed
      .filter((row): row is LedgerRecord => ledgerRecordSchema.safeParse(row).success)
      .map(withKeptDefaults);
    const total = counted === undefined ? rows.length : Number(counted.rows[0]?.total ?? 0);
    const bad = parsed.length - rows.length;
    return { rows, total: total - bad, torn: bad };
  }

  async appendOutcome(outcome: OutcomeRecord): Promise<void> {
    await this.orSpill(
      outcome,
      (spill) => spill.appendOutcome(outcome),
      () => this.upsertOutcome(outcome),
    );
  }

  private async upsertOutcome(outcome: OutcomeRecord): Promise<void> {
    await this.run('record the outcome', (db) => upsertOutcomeOn(db, outcome));
  }

  async outcomes(): Promise<Map<string, OutcomeRecord>> {
    const result = await this.run('read', (db) =>
      db.query<{ record: string }>('SELECT record::text AS record FROM cst_outcomes'),
    );
    const outcomes = new Map<string, OutcomeRecord>();
    for (const row of result.rows) {
      const outcome = JSON.parse(row.record) as OutcomeRecord;
      outcomes.set(outcomeKey(outcome.target, outcome.session_id), outcome);
    }
    return outcomes;
  }

  async prune(before: number, options: { dryRun?: boolean } = {}) {
    return this.run('prune', async (db) => {
      await db.query('BEGIN');
      try {
        const cut = new Date(before);
        const counts = await db.query<{ removed: string; kept: string }>(
          `SELECT count(*) FILTER (WHERE created_at < $1) AS removed,
                  count(*) FILTER (WHERE created_at >= $1) AS kept FROM cst_ledger`,
          [cut],
        );
        if (!options.dryRun) {
          await db.query(
            `DELETE FROM cst_outcomes o USING cst_ledger l
             WHERE o.target = l.target AND o.session_id = l.id AND l.created_at < $1`,
            [cut],
          );
          await db.query('DELETE FROM cst_ledger WHERE created_at < $1', [cut]);
        }
        await db.query('COMMIT');
        return { removed: Number(counts.rows[0]!.removed), kept: Number(counts.rows[0]!.kept) };
      } catch (error) {
        await db.query('ROLLBACK');
        throw error;
      }
    });
  }

  async clear(): Promise<void> {
    await this.run('clear', (db) => db.query('TRUNCATE cst_ledger, cst_outcomes'));
  }

  /** The bulk journal `name` in this store, for a runner that holds its rows for `leaseMs`. */
  async journal(name: string, runner: string, leaseMs: number): Promise<RowJournal> {
    return new SharedJournal(await this.connect(), this.where, name, runner, leaseMs);
  }

  /**
   * The bulk journals kept here: each one's rows by state (a pending row whose lease lapsed
   * counts as unknown, as a run reads it) and when it last changed.
   */
  async journals(): Promise<
    { name: string; states: Record<RowState, number>; last_run: string }[]
  > {
    const result = await this.run('read', (db) =>
      db.query<{ journal: string; state: RowState; rows: string; last: Date }>(
        `SELECT journal,
                CASE WHEN state = 'pending' AND lease_until < now() THEN 'unknown' ELSE state END AS state,
                count(*) AS rows, max(at) AS last
         FROM cst_journal GROUP BY 1, 2`,
      ),
    );
    const journals = new Map<
      string,
      { name: string; states: Record<RowState, number>; last_run: string }
    >();
    for (const row of result.rows) {
      const journal = journals.get(row.journal) ?? {
        name: row.journal,
        states: { issued: 0, failed: 0, unknown: 0, pending: 0, undelivered: 0 },
        last_run: new Date(0).toISOString(),
      };
      journal.states[row.state] += Number(row.rows);
      const last = row.last.toISOString();
      if (last > journal.last_run) journal.last_run = last;
      journals.set(row.journal, journal);
    }
    return [...journals.values()].sort((a, b) => b.last_run.localeCompare(a.last_run));
  }

  /** Forgets a bulk journal kept here; says how many rows it held. */
  async resetJournal(name: string): Promise<number> {
    const result = await this.run('forget the journal', (db) =>
      db.query('DELETE FROM cst_journal WHERE journal = $1', [name]),
    );
    return result.rowCount ?? 0;
  }

  /** The store's schema version (0: none yet), read without changing anything. */
  async version(): Promise<number> {
    const pool = await this.connect();
    const db = await pool.connect();
    try {
      return await currentVersion(db, false);
    } finally {
      db.release();
    }
  }

  /** Brings the schema to this cst's version; says from which. */
  async migrate(): Promise<{ from: number; to: number }> {
    const pool = await this.connect();
    const db = await pool.connect();
    try {
      return await migrate(db, this.where);
    } finally {
      db.release();
    }
  }

  /** One statement on a pooled connection; failures become cst's errors, never the driver's. */
  private async run<T>(what: string, work: (db: PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.connect();
    let db: PoolClient;
    try {
      db = await pool.connect();
    } catch (error) {
      throw unreachable(this.where, error);
    }
    try {
      return await work(db);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw storeError(what, this.where, error);
    } finally {
      db.release();
    }
  }

  /** The pool, made on first use: a schema check (or migration) before the first statement. */
  private connect(): Promise<Pool> {
    this.pool ??= (async () => {
      checkUrl(this.url);
      const { Pool } = (await import('pg')).default;
      // Idle connections do not hold the process open: a command ends when its work does.
      const pool = new Pool({
        connectionString: this.url,
        max: 4,
        idleTimeoutMillis: 1000,
        allowExitOnIdle: true,
        connectionTimeoutMillis: 10_000,
        // A claim is what keeps a row from being sent twice: it must survive a server crash,
        // whatever the database's own default says.
        options: '-c synchronous_commit=on',
      });
      pool.on('error', () => {
        // A pooled connection that drops while idle is replaced on the next use.
      });
      let db: PoolClient;
      try {
        db = await pool.connect();
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw unreachable(this.where, error);
      }
      try {
        if (this.migrateOnConnect) await migrate(db, this.where);
      } finally {
        db.release();
      }
      // What an earlier command kept locally while the store was down, before anything else.
      await this.pushSpill(pool);
      return pool;
    })();
    return this.pool;
  }

  /** Records kept in the spill file by this process: the first one is warned about. */
  private spilled = 0;

  /** Straight through the pool: the statements that wait for connect() must not wait here. */
  private async pushSpill(pool: Pool): Promise<void> {
    const waiting = await this.spill?.drain();
    if (!waiting) return;
    try {
      for (const record of waiting.records) await insertOn(pool, record);
      for (const outcome of waiting.outcomes) await upsertOutcomeOn(pool, outcome);
    } catch (error) {
      throw storeError('take what was kept locally', this.where, error);
    }
    await waiting.done();
    note(
      this.ctx,
      `pushed ${waiting.records.length} session${waiting.records.length === 1 ? '' : 's'} and ${waiting.outcomes.length} outcome${waiting.outcomes.length === 1 ? '' : 's'} kept locally while the state store was down into ${this.where}`,
    );
  }
}

type Queryable = Pick<Pool, 'query'>;

/** One row per target and session id: a record sent twice is kept once. */
function insertOn(db: Queryable, record: LedgerRecord) {
  return db.query(
    `INSERT INTO cst_ledger (target, id, org, project, owner_id, token_fp, created_at, expires_at, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (target, id) DO NOTHING`,
    [
      record.target,
      record.id,
      record.org,
      record.project,
      record.owner_id,
      record.token_fp,
      record.created_at,
      record.expires_at,
      JSON.stringify(record),
    ],
  );
}

/** The latest outcome of a session wins. */
function upsertOutcomeOn(db: Queryable, outcome: OutcomeRecord) {
  return db.query(
    `INSERT INTO cst_outcomes (target, session_id, record) VALUES ($1, $2, $3)
     ON CONFLICT (target, session_id) DO UPDATE SET record = EXCLUDED.record`,
    [outcome.target, outcome.session_id, JSON.stringify(outcome)],
  );
}

/** Under an advisory lock, so two runners starting at once migrate once. */
async function migrate(db: PoolClient, where: string): Promise<{ from: number; to: number }> {
  // A store at this cst's version, the usual case, costs one read and no lock.
  const seen = await currentVersion(db, false);
  refuseNewer(seen, where);
  if (seen === SCHEMA_VERSION) return { from: seen, to: seen };
  await db.query('BEGIN');
  try {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('cst_schema'))`);
    const from = await currentVersion(db, true);
    refuseNewer(from, where);
    for (let version = from; version < SCHEMA_VERSION; version++) {
      await db.query(MIGRATIONS[version]!);
      await db.query(
        `INSERT INTO cst_schema (one, version) VALUES (true, $1)
         ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version`,
        [version + 1],
      );
    }
    await db.query('COMMIT');
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    if (error instanceof CliError) throw error;
    if ((error as { code?: string }).code === '42501') return checkVersion(db, where);
    throw storeError('migrate', where, error);
  }
}

/** A role that may not migrate may still use a store at this cst's version. */
async function checkVersion(db: PoolClient, where: string): Promise<{ from: number; to: number }> {
  const version = await currentVersion(db, false);
  refuseNewer(version, where);
  if (version < SCHEMA_VERSION)
    throw new ConfigError(
      `the state store ${where} is at schema version ${version}; this cst needs ${SCHEMA_VERSION}`,
      'config',
      { hint: "run 'cst state migrate' as a role that may create tables there" },
    );
  return { from: version, to: version };
}

async function currentVersion(db: PoolClient, create: boolean): Promise<number> {
  if (create)
    await db.query(
      'CREATE TABLE IF NOT EXISTS cst_schema (one boolean PRIMARY KEY CHECK (one), version integer NOT NULL)',
    );
  const exists = await db.query<{ present: boolean }>(
    `SELECT to_regclass('cst_schema') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return 0;
  const row = await db.query<{ version: number }>('SELECT version FROM cst_schema');
  return row.rows[0]?.version ?? 0;
}

function refuseNewer(version: number, where: string): void {
  if (version > SCHEMA_VERSION)
    throw new ConfigError(
      `the state store ${where} is at schema version ${version}, newer than this cst knows (${SCHEMA_VERSION}): it will not write there`,
      'config',
      { hint: 'upgrade cst on this machine to the version the other runners use' },
    );
}

/** A statement the store refused or lost mid-way: cst's own state, exit 17. */
function storeError(what: string, where: string, error: unknown): CliError {
  const reason = reasonOf(error);
  return new CliError(
    `the state store ${where} failed to ${what}: ${reason}`,
    what === 'read' ? 'state_unreadable' : 'state_unwritable',
    {
      cause: error,
      hint: 'check the database is up and this role may write there; then run it again',
    },
  );
}

/** Node's socket codes in words; PostgreSQL's own messages are words already. */
const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running there?)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS not answering)',
  ETIMEDOUT: 'no answer in time',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'no route to the host',
};

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_REASONS[code]) return SOCKET_REASONS[code];
  return (error as Error).message || String(error);
}

/** Unreachable, refused or unknown: a config problem, named without the password. */
function unreachable(where: string, error: unknown): ConfigError {
  const reason = reasonOf(error);
  return new ConfigError(`cannot use the state store ${where}: ${reason}`, 'config', {
    hint: 'check CST_STATE_URL: host, port, database, user and password',
  });
}

/**
 * A bulk journal several runners share: each row is claimed in one statement before it is sent
 * (the primary key makes the claim exclusive), held under a lease this runner renews while it
 * works, and its outcome recorded after the answer. A runner that dies leaves its rows pending
 * until the lease lapses; after that they read as unknown, like any row sent without an answer.
 */
class SharedJournal implements RowJournal {
  readonly path: string;
  private readonly renewal: NodeJS.Timeout;
  private failure: Error | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly where: string,
    private readonly name: string,
    private readonly runner: string,
    private readonly leaseMs: number,
  ) {
    this.path = `${where} (journal ${name})`;
    this.renewal = setInterval(
      () => {
        pool
          .query(
            `UPDATE cst_journal SET lease_until = now() + make_interval(secs => $3)
           WHERE journal = $1 AND runner = $2 AND state = 'pending'`,
            [name, runner, leaseMs / 1000],
          )
          .catch((error: unknown) => (this.failure = error as Error));
      },
      Math.max(1000, leaseMs / 3),
    );
    this.renewal.unref();
  }

  /** Nothing is read ahead: whether a row is this runner's is asked when it comes. */
  state(): undefined {
    return undefined;
  }

  async claim(key: string, line: number, retryUnknown: boolean): Promise<Claim> {
    const values = [this.name, key, line, this.runner, this.leaseMs / 1000, retryUnknown];
    const taken = await this.query(
      'claim a row',
      `INSERT INTO cst_journal AS j (journal, key, state, line, runner, lease_until, at)
       VALUES ($1, $2, 'pending', $3, $4, now() + make_interval(secs => $5), now())
       ON CONFLICT (journal, key) DO UPDATE SET state = 'pending', line = EXCLUDED.line,
         runner = EXCLUDED.runner, lease_until = EXCLUDED.lease_until, at = now(), session_id = NULL
       WHERE j.state IN ('failed', 'undelivered')
          OR ($6 AND (j.state = 'unknown' OR (j.state = 'pending' AND j.lease_until < now())))
       RETURNING j.state`,
      values,
    );
    if (taken.rowCount === 1) return { kind: 'mine' };
    const found = await this.query<{
      state: RowState;
      line: number;
      session_id: number | null;
      runner: string;
      lapsed: boolean;
    }>(
      'claim a row',
      `SELECT state, line, session_id, runner, coalesce(lease_until < now(), true) AS lapsed
       FROM cst_journal WHERE journal = $1 AND key = $2`,
      [this.name, key],
    );
    const row = found.rows[0];
    if (!row) return { kind: 'busy' };
    if (row.state === 'issued')
      return {
        kind: 'issued',
        session_id: row.session_id ?? undefined,
        elsewhere: row.runner !== this.runner,
      };
    if (row.state === 'pending' && !row.lapsed) return { kind: 'busy' };
    return { kind: 'unknown', line: row.line };
  }

  async record(entry: { key: string; state: RowState; line: number; session_id?: number }) {
    if (this.failure !== undefined) throw storeError('keep its claims', this.where, this.failure);
    await this.query(
      'record a row',
      `UPDATE cst_journal SET state = $3, line = $4, session_id = $5, lease_until = NULL, at = now()
       WHERE journal = $1 AND key = $2`,
      [this.name, entry.key, entry.state, entry.line, entry.session_id ?? null],
    );
  }

  /** A statement of the journal's; a failure is the store's, in cst's words. */
  private async query<R extends object = Record<string, unknown>>(
    what: string,
    sql: string,
    values: unknown[],
  ) {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw storeError(what, this.where, error);
    }
  }

  /** Every record is committed as it is made. */
  sync(): void {}

  close(): void {
    clearInterval(this.renewal);
  }
}
