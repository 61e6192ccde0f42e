// -o/--output, --json and --field, the output flags every command shares, parsed together.
import { UsageError } from '../core/errors.js';
import { RECORD_FORMATS, type RecordFormat } from '../core/output/format.js';

export interface OutputFlags {
  output?: string | undefined;
  json?: boolean | undefined;
  field?: string | undefined;
}

/**
 * -o/--output, --json and --field, checked together. `formats` are the formats this command
 * prints; `alone` says what --field prints, for its error message.
 */
export function parseOutputFlags<F extends string = RecordFormat>(
  flags: OutputFlags,
  fields: readonly string[],
  formats: readonly F[] = RECORD_FORMATS as readonly string[] as readonly F[],
  alone = 'one value alone',
): { format: F | undefined; field: string | undefined } {
  if (flags.output !== undefined && !(formats as readonly string[]).includes(flags.output)) {
    throw new UsageError(`invalid --output "${flags.output}": use one of ${formats.join(', ')}`);
  }
  if (flags.json && flags.output !== undefined && flags.output !== 'json') {
    throw new UsageError(`--json conflicts with --output ${flags.output}`);
  }
  if (flags.field !== undefined) {
    if (flags.json || flags.output !== undefined) {
      throw new UsageError(`--field prints ${alone}: drop --json/--output`);
    }
    if (!fields.includes(flags.field)) {
      throw new UsageError(`unknown --field "${flags.field}": use one of ${fields.join(', ')}`);
    }
  }
  return {
    format: flags.json ? ('json' as F) : (flags.output as F | undefined),
    field: flags.field,
  };
}
