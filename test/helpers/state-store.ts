// What the shared-store tests ask the database directly.
import type { Cluster } from '../../scripts/postgres-cluster.js';

/** Rows some runner still holds under a live lease. */
export function pendingLeases(cluster: Cluster, url: string): number {
  const database = new URL(url).pathname.slice(1);
  return cluster.count(
    `SELECT count(*) FROM cst_journal WHERE state = 'pending' AND lease_until > now()`,
    database,
  );
}
