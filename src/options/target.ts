// Which target a command talks to, as its flags say it: the value every command's options carry
// and ctx.connect takes. Resolving it (config, keys, the sandbox) is config/target.ts's work.

export interface TargetFlags {
  org?: string | undefined;
  project?: string | undefined;
  sandbox?: boolean | undefined;
  /** Only CST_API_KEY and CST_BASE_URL: the target of a ledger record issued with no project. */
  env?: boolean | undefined;
}

/** --org, --project and --sandbox as the target they select; absent flags stay absent. */
export function targetFlags(flags: {
  org?: string | undefined;
  project?: string | undefined;
  sandbox?: boolean | undefined;
}): TargetFlags {
  return {
    ...(flags.org === undefined ? {} : { org: flags.org }),
    ...(flags.project === undefined ? {} : { project: flags.project }),
    ...(flags.sandbox === undefined ? {} : { sandbox: flags.sandbox }),
  };
}
