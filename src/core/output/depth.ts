// JSON.stringify and the YAML writer recurse, so a server's value nested ten thousand deep would
// overflow the stack after a session was created. What cst prints is cut at a fixed depth.

const MAX_PRINT_DEPTH = 64;
const TOO_DEEP = `[nested deeper than ${MAX_PRINT_DEPTH} levels]`;

/** The value itself when it is shallow enough (checked without recursion), else a cut copy. */
export function boundDepth<T>(value: T): T {
  return tooDeep(value) ? (cut(value, MAX_PRINT_DEPTH) as T) : value;
}

function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [item, depth] = top;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_PRINT_DEPTH) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item))
      stack.push([child, depth + 1]);
  }
  return false;
}

/** Recursion here stops at MAX_PRINT_DEPTH levels. */
function cut(value: unknown, left: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (left === 0) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => cut(item, left - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cut(item, left - 1)]));
}
