// The one duration grammar used everywhere in cst: a bare number is seconds, or numbers with
// units ms, s, m, h, d, largest first, each at most once ("30m", "1.5h", "1h30m", "2d12h").
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER = Object.keys(UNIT_MS) as Unit[];

const BARE = /^\d+(?:\.\d+)?$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDurationMs(input: string): number | undefined {
  const text = input.trim();
  if (BARE.test(text)) return finite(Number(text) * 1000);
  let ms = 0;
  let previous = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) return undefined;
    const rank = ORDER.indexOf(match[2] as Unit);
    if (rank <= previous) return undefined;
    previous = rank;
    ms += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  return previous < 0 ? undefined : finite(ms);
}

/** The longest delay a Node timer takes (about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const finite = (ms: number) => (Number.isFinite(ms) ? ms : undefined);

export const DURATION_HELP =
  'a number of seconds, or numbers with units ms, s, m, h, d (30m, 12h, 1h30m, 2d12h)';
