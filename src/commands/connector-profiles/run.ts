// The connector-profiles verbs (StackOne since 2026-06): list, versions, pin and unpin, one
// runner each over the routes StackOne's 2026-06-01 SDK documents.
import {
  type ConnectorProfile,
  type ConnectorVersion,
  listConnectorProfiles,
  listConnectorVersions,
  pinConnectorVersion,
  unpinConnectorVersion,
} from '../../api/connector-profiles.js';
import { confirmed } from '../../cmdutil/confirm.js';
import { type CommandContext, maxPages, withConnection } from '../../connection/connection.js';
import { changed, note } from '../../core/output/messages.js';
import { renderRecord } from '../../core/output/record.js';
import { renderRows } from '../../core/output/rows.js';
import type { PinOptions, ProfilesListOptions, VersionsOptions } from './options.js';

/** GET /connector_profiles, page by page up to --limit (or every page with --all). */
export async function runProfilesList(
  options: ProfilesListOptions,
  ctx: CommandContext,
): Promise<void> {
  const { limit } = options;
  const { profiles, total } = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) =>
      listConnectorProfiles(client, options.filter, {
        pageSize: options.pageSize,
        limit,
        maxPages: maxPages(ctx),
      }),
  );
  const text = (value: string | null | undefined) => value ?? '';
  const version = (p: ConnectorProfile) =>
    p.connector_pinned_version
      ? `${p.connector_pinned_version} (pinned)`
      : text(p.connector_version);
  await renderRows<ConnectorProfile>(
    ctx,
    {
      columns: [
        { header: 'ID', human: (p) => p.id, machine: (p) => p.id, keep: (p) => p.id.length },
        { header: 'CONNECTOR', human: (p) => p.connector_key, machine: (p) => p.connector_key },
        { header: 'NAME', human: (p) => p.name, machine: (p) => p.name, shorten: true, drop: 3 },
        {
          header: 'CATEGORIES',
          human: (p) => p.categories.join(','),
          machine: (p) => p.categories.join(','),
          drop: 2,
        },
        {
          header: 'ENABLED',
          human: (p) => (p.active ? 'yes' : 'no'),
          machine: (p) => String(p.active),
          style: (p) => (p.active ? 'good' : 'muted'),
        },
        { header: 'VERSION', human: version, machine: version, drop: 1 },
      ],
      rows: profiles,
      json: (p) => ({ ...p }),
    },
    options.output,
  );
  if (profiles.length < total)
    note(ctx, `showing ${profiles.length} of ${total}; use --all`, {
      shown: profiles.length,
      total,
    });
  else if (profiles.length === 0 && ctx.stderr.isTTY)
    note(
      ctx,
      options.filter.connectorKey === undefined
        ? 'no connector profiles match'
        : `no connector profiles for connector "${options.filter.connectorKey}"`,
    );
}

/** GET /connector_profiles/{id}/versions. */
export async function runProfileVersions(
  options: VersionsOptions,
  ctx: CommandContext,
): Promise<void> {
  const versions = await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    ({ client }) => listConnectorVersions(client, options.id),
  );
  await renderRows<ConnectorVersion>(
    ctx,
    {
      columns: [
        { header: 'VERSION', human: (v) => v.version, machine: (v) => v.version },
        { header: 'OWNER', human: (v) => v.owner ?? '', machine: (v) => v.owner ?? '' },
        {
          header: 'BUILTIN',
          human: (v) => (v.builtin ? 'yes' : 'no'),
          machine: (v) => String(v.builtin),
        },
        {
          header: 'PINNED',
          human: (v) => (v.pinned ? 'pinned' : ''),
          machine: (v) => String(v.pinned),
          style: () => 'good',
        },
      ],
      rows: versions,
      json: (v) => ({ ...v }),
    },
    options.output,
  );
}

/** PUT (pin) or DELETE (unpin) /connector_profiles/{id}/pinned_version, confirmed first. */
export async function runProfilePin(options: PinOptions, ctx: CommandContext): Promise<void> {
  const { id, version } = options;
  const path = `/connector_profiles/${encodeURIComponent(id)}/pinned_version`;
  const body =
    version === undefined
      ? undefined
      : {
          pinned_version: version,
          ...(options.owner === undefined ? {} : { owner: options.owner }),
        };
  const json = options.output.format === 'json';
  if (options.dryRun) {
    const method = version === undefined ? 'DELETE' : 'PUT';
    changed(
      ctx,
      json,
      { dry_run: true, method, path, ...(body ? { body } : {}) },
      `would send ${method} ${path}${body ? ` ${JSON.stringify(body)}` : ''}; nothing changed`,
    );
    return;
  }
  const what =
    version === undefined
      ? `Unpin connector profile ${id}? Its connections follow the latest version again.`
      : `Pin connector profile ${id} to version ${version}? Its connections use that version.`;
  if (
    !(await confirmed(ctx, what, `${version === undefined ? 'unpinning' : 'pinning'} ${id}`, {
      yes: options.yes,
      dryRun: true,
      change: { declined: 'nothing changed', dryRun: 'the request' },
    }))
  )
    return;
  await withConnection(
    ctx,
    options.target,
    { timeoutMs: options.timeoutMs },
    async ({ client }) => {
      if (body === undefined) {
        await unpinConnectorVersion(client, id);
        changed(
          ctx,
          json,
          { connector_profile_id: id, pinned_version: null },
          `unpinned connector profile ${id}`,
        );
        return;
      }
      const pinned = await pinConnectorVersion(client, id, body);
      await renderRecord(ctx, { wire: pinned }, options.output);
    },
  );
}
