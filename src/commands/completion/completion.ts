// `cst completion bash|zsh` prints a script that asks `cst __complete` at TAB time.
import { Argument, Command } from 'commander';
import type { Context } from '../../context.js';
import { examples } from '../shared.js';

const BASH = `# cst completion for bash: eval "$(cst completion bash)"
_cst_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(cst __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _cst_complete cst
`;

const ZSH = `#compdef cst
# cst completion for zsh: eval "$(cst completion zsh)"
_cst() {
  local -a candidates
  candidates=("\${(@f)$(cst __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- "\${candidates[@]}"
}
compdef _cst cst
`;

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
      ctx.stdout.write(shell === 'bash' ? BASH : ZSH);
    });
}

/** Hidden: what the completion scripts call at TAB time. */
export function completeCommand(ctx: Context, program: () => Command): Command {
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
