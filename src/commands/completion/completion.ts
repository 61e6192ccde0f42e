// `cst completion bash|zsh` prints a script that asks `cst __complete` at TAB time.
import { realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Argument, Command } from 'commander';
import type { CommandContext } from '../../connection/connection.js';
import type { Context } from '../../core/context.js';
import { examples } from '../../cmdutil/shared.js';

/**
 * The scripts call `cli` back at TAB time: `cst` when the cst on PATH is this one, else this
 * one's own path (after README's `./bin/cst.js` start, `cst` on PATH is another cst, or none),
 * and then they complete `cst.js` as typed too.
 */
function bash(cli: string, names: string): string {
  return `# cst completion for bash: eval "$(cst completion bash)"
_cst_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(${cli} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _cst_complete ${names}
`;
}

function zsh(cli: string, names: string): string {
  return `#compdef ${names}
# cst completion for zsh: eval "$(cst completion zsh)"
_cst() {
  local -a candidates
  candidates=("\${(@f)$(${cli} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- "\${candidates[@]}"
}
compdef _cst ${names}
`;
}

/** `cst` when that is this cst on PATH; else this cst's own path, quoted for the shell. */
function selfCommand(ctx: Context): string {
  const self = ctx.executable && realpathOrUndefined(ctx.executable);
  if (self === undefined) return 'cst';
  const dirs = (ctx.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    const found = realpathOrUndefined(join(dir, 'cst'));
    if (found === undefined) continue;
    // The first cst on PATH is the one a shell runs.
    if (found === self) return 'cst';
    break;
  }
  return `'${self.replace(/'/g, `'\\''`)}'`;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

export function completionCommand(ctx: Context): Command {
  return new Command('completion')
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      examples([
        'echo \'eval "$(cst completion bash)"\' >> ~/.bashrc',
        'echo \'eval "$(cst completion zsh)"\' >> ~/.zshrc',
      ]),
    )
    .action((shell: 'bash' | 'zsh') => {
      const cli = selfCommand(ctx);
      const names = cli === 'cst' ? 'cst' : 'cst cst.js';
      ctx.stdout.write(shell === 'bash' ? bash(cli, names) : zsh(cli, names));
    });
}

/** Hidden: what the completion scripts call at TAB time. */
export function completeCommand(ctx: CommandContext, program: () => Command): Command {
  return new Command('__complete')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const { candidates } = await import('./candidates.js');
      for (const candidate of await candidates(ctx, program(), words))
        ctx.stdout.write(`${candidate}\n`);
    });
}
