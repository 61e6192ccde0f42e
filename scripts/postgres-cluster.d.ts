// Types for the tests that import scripts/postgres-cluster.js.
/** The superuser's password over TCP: a test's, never a real one. */
export const PASSWORD: string;

export interface Cluster {
  /** A URL for a new, empty database of its own: one per test keeps tests apart. */
  database(name: string): Promise<string>;
  /** A URL of a database, with the superuser and its password (or another one, to be refused). */
  url(database?: string, password?: string): string;
  /** SQL run as the superuser over the cluster's socket: for tests that break things on purpose. */
  psql(sql: string, database?: string): void;
  /** A count(*) query's answer, asked over the cluster's socket. */
  count(sql: string, database?: string): number;
  stop(): void;
  start(): void;
  /** Stops the server and removes its files. */
  remove(): void;
}

export function startCluster(): Promise<Cluster>;
