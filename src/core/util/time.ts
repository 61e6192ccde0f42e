import { parseDurationMs } from './duration.js';

/** "in 25m", "3h ago": for people; machines get RFC 3339. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const seconds = Math.round(Math.abs(delta) / 1000);
  const text =
    seconds < 60
      ? `${seconds}s`
      : seconds < 3600
        ? `${Math.floor(seconds / 60)}m`
        : seconds < 172_800
          ? `${Math.floor(seconds / 3600)}h`
          : `${Math.floor(seconds / 86_400)}d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** A date ("2026-11-01", RFC 3339) or a duration back from now ("7d"); undefined if neither. */
export function parseWhen(text: string, now: number): number | undefined {
  const duration = parseDurationMs(text);
  if (duration !== undefined) return now - duration;
  if (!/^\d{4}-\d\d-\d\d/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}
