// Which organization and project a command uses. The same rules apply to the user's config and
// to the sandbox's seeded organizations: first match wins.
import { canPrompt, envValue, type Context } from '../core/context.js';
import { MissingFlagsError, UsageError } from '../core/errors.js';
import { didYouMean } from '../core/util/suggest.js';

export interface CatalogProject {
  org: string;
  project: string;
}

export interface Catalog {
  projects: CatalogProject[];
  default?: CatalogProject | undefined;
  /** Where these names come from, for error messages ("config.json", "the sandbox"). */
  source: string;
}

export interface Selection {
  org?: string | undefined;
  project?: string | undefined;
}

/**
 * flags › CST_ORG/CST_PROJECT › the catalog's default › the only one there is. Returns undefined
 * when none of those decides; `pickProject` then prompts or fails.
 */
export function selectProject(
  ctx: Context,
  catalog: Catalog,
  selection: Selection,
): CatalogProject | undefined {
  const org = selection.org ?? envValue(ctx.env, 'CST_ORG');
  const project = selection.project ?? envValue(ctx.env, 'CST_PROJECT');
  const candidates = catalog.projects.filter(
    (p) => (org === undefined || p.org === org) && (project === undefined || p.project === project),
  );
  if (org !== undefined && !catalog.projects.some((p) => p.org === org)) {
    const orgs = unique(catalog.projects.map((p) => p.org));
    throw new UsageError(
      `unknown organization "${org}"${didYouMean(org, orgs)} in ${catalog.source}`,
      {
        hint: `known: ${orgs.join(', ') || 'none'}`,
      },
    );
  }
  if (candidates.length === 0 && project !== undefined) {
    const inOrg = catalog.projects.filter((p) => org === undefined || p.org === org);
    throw new UsageError(
      `unknown project "${project}"${org === undefined ? '' : ` in organization "${org}"`}${didYouMean(project, unique(inOrg.map((p) => p.project)))} in ${catalog.source}`,
      { hint: `known: ${inOrg.map(label).join(', ')}` },
    );
  }
  if (candidates.length === 1) return candidates[0];
  const fallback = catalog.default;
  if (fallback && candidates.some((p) => p.org === fallback.org && p.project === fallback.project))
    return fallback;
  return undefined;
}

/** Asks on a terminal; otherwise names the flags that would have decided. */
export async function pickProject(
  ctx: Context,
  catalog: Catalog,
  selection: Selection,
  prompt = true,
): Promise<CatalogProject> {
  const selected = selectProject(ctx, catalog, selection);
  if (selected) return selected;
  const org = selection.org ?? envValue(ctx.env, 'CST_ORG');
  const project = selection.project ?? envValue(ctx.env, 'CST_PROJECT');
  if (!prompt || !canPrompt(ctx)) {
    throw new MissingFlagsError(org === undefined ? ['--org', '--project'] : ['--project'], {
      hint: `${catalog.source} has ${catalog.projects.map(label).join(', ')}`,
    });
  }
  const prompter = await ctx.prompter();
  const orgs = unique(
    catalog.projects
      .filter((p) => project === undefined || p.project === project)
      .map((p) => p.org),
  );
  const chosenOrg =
    org ??
    (orgs.length === 1
      ? orgs[0]!
      : await prompter.select(
          'Organization',
          orgs.map((name) => ({ name, value: name })),
          catalog.default?.org,
        ));
  const projects = catalog.projects.filter(
    (p) => p.org === chosenOrg && (project === undefined || p.project === project),
  );
  if (projects.length === 1) return projects[0]!;
  return prompter.select(
    'Project',
    projects.map((p) => ({ name: p.project, value: p })),
    projects.find((p) => p.project === catalog.default?.project),
  );
}

export function label(p: CatalogProject): string {
  return `${p.org}/${p.project}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
