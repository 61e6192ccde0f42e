// The sandbox's state: seeded organizations and projects with their keys, linked accounts and
// the next session id in a small file rewritten atomically under a lock; the sessions issued in
// an append-only file beside it, so that a bulk run of 100k rows does not rewrite them all each
// time. Tokens are kept only as hashes. `cst sandbox serve` and `--sandbox` commands share both.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  appendWhole,
  ensurePrivateDir,
  openPrivateAppend,
  writeFileAtomic,
} from '../core/util/private-files.js';
import { type LockClock, withLock } from '../core/util/lock.js';
import { CliError, StateReadError, StateWriteError } from '../core/errors.js';

export interface SandboxProject {
  name: string;
  id: string;
  apiKey: string;
  default?: boolean;
}

export interface SandboxOrganization {
  name: string;
  id: string;
  projects: SandboxProject[];
}

export interface SandboxSession {
  id: number;
  organizationId: string;
  projectId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  /** The optional request fields, as sent (snake_case). */
  fields: Record<string, unknown>;
}

/** A linked account, as the customer finishing the Hub would create it. */
export interface SandboxAccount {
  projectId: string;
  category: string;
  /** The LinkedAccount body, snake_case as served. */
  account: Record<string, unknown> & {
    id: string;
    origin_owner_id: string;
    provider: string;
    status: string;
  };
}

/** A connection attempt through the Hub, as `latest_connection_attempt` serves it. */
export interface SandboxAttempt {
  session_id: number;
  id: string;
  created_at: string;
  updated_at: string;
  status: 'pending' | 'authenticated' | 'error' | 'cancelled';
  account_secure_id: string | null;
  oauth_error_code: string | null;
  oauth_error_description: string | null;
}

/** A connector profile's pinned version (`PUT /connector_profiles/{id}/pinned_version`). */
export interface SandboxPin {
  projectId: string;
  connector_profile_id: string;
  pinned_version: string;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

export interface SandboxState {
  version: 1;
  nextSessionId: number;
  organizations: SandboxOrganization[];
  accounts: SandboxAccount[];
  /** Absent in a state written before connector profiles. */
  pins?: SandboxPin[];
}

/** The sandbox's organizations and projects, the same on every machine. */
export const SEED: readonly { name: string; id: string; projects: readonly string[] }[] = [
  { name: 'acme', id: '1001', projects: ['production', 'staging'] },
  { name: 'globex', id: '1002', projects: ['production', 'staging'] },
];

function seedState(): SandboxState {
  return {
    version: 1,
    nextSessionId: 1,
    organizations: SEED.map((org) => ({
      name: org.name,
      id: org.id,
      projects: org.projects.map((name, index) => ({
        name,
        id: `${org.name}-${name}`,
        apiKey: `sk_sandbox_${randomBytes(18).toString('base64url')}`,
        ...(org.name === 'acme' && index === 0 ? { default: true } : {}),
      })),
    })),
    accounts: [],
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SandboxStore {
  readonly path: string;
  readonly sessionsPath: string;
  readonly attemptsPath: string;
  private readonly lockPath: string;

  constructor(
    readonly dir: string,
    /** What waits for the state's lock take their time from. */
    private readonly clock: LockClock,
  ) {
    this.path = join(dir, 'sandbox.json');
    this.sessionsPath = join(dir, 'sandbox-sessions.jsonl');
    this.attemptsPath = join(dir, 'sandbox-attempts.jsonl');
    this.lockPath = join(dir, 'sandbox.json.lock');
  }

  /** Allocates the next id and records the session, under the lock. */
  async addSession(
    make: (id: number, state: SandboxState) => SandboxSession,
  ): Promise<SandboxSession> {
    return this.update((state) => {
      const session = make(state.nextSessionId++, state);
      appendLine(this.sessionsPath, session);
      return session;
    });
  }

  /** Records the newest state of a connection attempt; the last record of a session wins. */
  async recordAttempt(attempt: SandboxAttempt): Promise<void> {
    await this.writing(async () => {
      await ensurePrivateDir(this.dir);
      appendLine(this.attemptsPath, attempt);
    });
  }

  /** The latest attempt of a session, if any. */
  async latestAttempt(sessionId: number): Promise<SandboxAttempt | undefined> {
    let text: string;
    try {
      text = await readFile(this.attemptsPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let latest: SandboxAttempt | undefined;
    for (const line of text.split('\n')) {
      try {
        const attempt = JSON.parse(line) as SandboxAttempt;
        if (attempt.session_id === sessionId) latest = attempt;
      } catch {
        // Blank, or torn by a crash: skipped.
      }
    }
    return latest;
  }

  async sessions(): Promise<SandboxSession[]> {
    let text: string;
    try {
      text = await readFile(this.sessionsPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap(parseSessions);
  }

  async findSession(tokenHash: string): Promise<SandboxSession | undefined> {
    return (await this.sessions()).find((session) => session.tokenHash === tokenHash);
  }

  async findSessionById(id: number): Promise<SandboxSession | undefined> {
    return (await this.sessions()).find((session) => session.id === id);
  }

  /** Forget every session and account; organizations, projects and keys stay. Says how many. */
  reset(): Promise<{ sessions: number; accounts: number }> {
    return this.update(async (state) => {
      const forgotten = { sessions: state.nextSessionId - 1, accounts: state.accounts.length };
      state.accounts = [];
      state.pins = [];
      state.nextSessionId = 1;
      await writeFileAtomic(this.sessionsPath, '', { durable: false });
      await writeFileAtomic(this.attemptsPath, '', { durable: false });
      return forgotten;
    });
  }

  /** The current state; seeds it on first use. */
  async read(): Promise<SandboxState> {
    const state = await this.readFile();
    return state ?? this.update((current) => current);
  }

  /** Read, change and write back under the lock; returns what `change` returns. */
  async update<T>(change: (state: SandboxState) => T | Promise<T>): Promise<T> {
    return this.writing(async () => {
      await ensurePrivateDir(this.dir);
      return withLock(this.lockPath, this.clock, async () => {
        const state = (await this.readFile()) ?? seedState();
        const result = await change(state);
        // Atomic by rename; a sandbox needs no fsync, and a bulk run would pay one per row.
        await writeFileAtomic(this.path, JSON.stringify(state), { durable: false });
        return result;
      });
    });
  }

  /** A file-system failure while writing is the sandbox state's, named with its cause. */
  private async writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof Error && !(error instanceof CliError) && 'code' in error)
        throw new StateWriteError('the sandbox state', this.path, error);
      throw error;
    }
  }

  private async readFile(): Promise<SandboxState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateReadError('the sandbox state', this.path, error);
    }
    let state: SandboxState | undefined;
    try {
      state = JSON.parse(text) as SandboxState;
    } catch {
      state = undefined;
    }
    if (typeof state !== 'object' || state === null || !Array.isArray(state.organizations))
      throw new CliError(
        `cannot read the sandbox state ${this.path}: it is corrupt`,
        'state_unreadable',
        { hint: 'delete it to start afresh: the sandbox seeds a new one' },
      );
    state.accounts ??= [];
    return state;
  }
}

/**
 * The sessions on one line of the sessions file: one, or none when a crash tore it mid-write. A
 * torn record has no newline, so the record appended after it starts on the same line.
 */
function parseSessions(line: string): SandboxSession[] {
  if (line === '') return [];
  try {
    const session = JSON.parse(line) as SandboxSession | null;
    // A parseable line of another shape is skipped as a torn one is.
    const shaped =
      typeof session === 'object' &&
      session !== null &&
      typeof session.id === 'number' &&
      typeof session.fields === 'object' &&
      session.fields !== null;
    return shaped ? [session] : [];
  } catch {
    const next = line.indexOf('{"id":', 1);
    return next > 0 ? parseSessions(line.slice(next)) : [];
  }
}

function appendLine(path: string, record: object): void {
  const fd = openPrivateAppend(path);
  try {
    appendWhole(fd, `${JSON.stringify(record)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** A token the sandbox never issued, or one that expired: the Hub's 404, the CLI's exit 6. */
export class UnknownTokenError extends Error {
  constructor() {
    super('token unknown or expired');
  }
}
