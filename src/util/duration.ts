// The one duration grammar used everywhere in cst: a bare number is seconds, or a number with
// one of the units ms, s, m, h, d ("30m", "12h", "5d", "1.5h").
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  const ms = Number(match[1]) * UNIT_MS[unit];
  return Number.isFinite(ms) ? ms : undefined;
}

export const DURATION_HELP =
  'a number of seconds, or a number with a unit: ms, s, m, h, d (30m, 12h, 5d)';
