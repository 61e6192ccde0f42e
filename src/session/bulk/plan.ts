// What `cst create --from-file` hands its engine: everything a bulk run needs, decided and
// checked by create's options, so that bulk imports nothing from commands/.
import type { ConnectSessionCreate } from '../../api/request-fields.js';
import type { TargetFlags } from '../../options/target.js';
import type { ResultColumn } from './columns.js';

export interface BulkPlan {
  /** --from-file: a CSV or NDJSON file, or `-` for stdin. */
  input: string;
  /** The request fields the flags set: defaults for every row. */
  defaults: Partial<ConnectSessionCreate>;
  /** --body-json: merged into every row's wire body last, as for a single create. */
  extraBody: Record<string, unknown> | undefined;
  /** The target of rows that name none (--org, --project, --sandbox). */
  target: TargetFlags;
  timeoutMs: number;
  /** --dry-run: validate every row and print its request; send nothing, write nothing. */
  dryRun: boolean;
  /** --strict: validate every row first; send nothing if any is bad. */
  strict: boolean;
  results: string | undefined;
  columns: ResultColumn[];
  showSecrets: boolean;
  concurrency: number;
  ratePerSecond: number;
  maxNetworkFailures: number;
  /** --journal: one journal for the whole run; by default, one per input and target. */
  journal: string | undefined;
  retryUnknown: boolean;
  /** --lease: how long a shared store holds a row this runner claimed, renewed while it works. */
  leaseMs: number;
  /** --shard auto: rows split between runners by claims in the shared store (its default). */
  shard: 'auto' | undefined;
  format: 'ndjson' | 'csv' | 'tsv' | undefined;
  /** --force: --results may be a symbolic link. */
  force: boolean;
}
