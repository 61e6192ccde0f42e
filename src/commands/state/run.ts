// runStateMigrate: bring the shared store's schema to this cst's version, and say from which.
import { envValue } from '../../core/context.js';
import type { Context } from '../../core/context.js';
import { UsageError } from '../../core/errors.js';
import { changed } from '../../core/output/messages.js';
import { PostgresLedger } from '../../ledger/postgres.js';

export interface StateFlags {
  json?: boolean;
}

export async function runStateMigrate(options: { json: boolean }, ctx: Context): Promise<void> {
  const url = envValue(ctx.env, 'CST_STATE_URL');
  if (url === undefined)
    throw new UsageError('no shared state store: cst keeps its state in local files', {
      hint: 'set CST_STATE_URL=postgres://user@host/database to use one',
    });
  const store = new PostgresLedger(url, ctx, false);
  const { from, to } = await store.migrate();
  changed(
    ctx,
    options.json,
    { store: store.where, from, to },
    from === to
      ? `state store ${store.where} is at schema version ${to}: nothing to do`
      : `migrated state store ${store.where} from schema version ${from} to ${to}`,
  );
}
