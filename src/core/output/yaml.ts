// A YAML emitter for JSON-shaped data. Strings that could be read back as anything but the same
// string are written double-quoted, which in YAML has the same escapes as JSON.
const PLAIN = /^[A-Za-z_/][\w./@:+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

export function toYaml(value: unknown): string {
  return `${emit(value, 0).replace(/^\n/, '')}\n`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function emit(value: unknown, depth: number): string {
  const pad = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((item) => {
        const nested = isContainer(item)
          ? emit(item, depth + 1).replace(/^\n\s*/, '')
          : scalar(item);
        return `\n${pad}- ${nested}`;
      })
      .join('');
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return ' {}';
    return entries
      .map(
        ([key, item]) =>
          `\n${pad}${scalar(key)}:${isContainer(item) ? emit(item, depth + 1) : ` ${scalar(item)}`}`,
      )
      .join('');
  }
  return ` ${scalar(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0)
  );
}
