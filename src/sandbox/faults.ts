// Deterministic, seeded misbehaviour for tests and benchmarks: latency, and per-request faults
// drawn from a seeded generator, so the same seed and the same requests fail the same way.

export const FAULTS = [
  '429',
  '408',
  '500',
  '502',
  '503',
  'reset-before',
  'reset-after',
  'truncated',
  'malformed',
  'slow-body',
] as const;
export type Fault = (typeof FAULTS)[number];

/** Faults that strike after the server created the session. */
export const AFTER_ACTING: ReadonlySet<Fault> = new Set([
  '500',
  'reset-after',
  'truncated',
  'malformed',
  'slow-body',
]);

export interface FaultOptions {
  latencyMs?: number;
  jitterMs?: number;
  /** Probability of each fault per request, 0..1. */
  rates?: Partial<Record<Fault, number>>;
  seed?: number;
}

export class FaultPlan {
  private state: number;

  constructor(private readonly options: FaultOptions = {}) {
    this.state = (options.seed ?? 1) >>> 0;
  }

  /** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  delayMs(): number {
    const { latencyMs = 0, jitterMs = 0 } = this.options;
    return latencyMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
  }

  /** At most one fault per request, in the order of FAULTS. */
  draw(): Fault | undefined {
    const rates = this.options.rates ?? {};
    if (Object.keys(rates).length === 0) return undefined;
    const roll = this.random();
    let edge = 0;
    for (const fault of FAULTS) {
      edge += rates[fault] ?? 0;
      if (roll < edge) return fault;
    }
    return undefined;
  }
}

/** `500=0.05` → ['500', 0.05]. */
export function parseFault(text: string): [Fault, number] | undefined {
  const match = /^([\w-]+)=(0(?:\.\d+)?|1(?:\.0+)?)$/.exec(text.trim());
  if (!match || !(FAULTS as readonly string[]).includes(match[1]!)) return undefined;
  return [match[1] as Fault, Number(match[2])];
}
