// What a bulk run printed, and what the sandbox it ran against counted.
import { request } from 'undici';
import type { Result, Served } from './cli.js';

export interface Line {
  row: number;
  status: 'issued' | 'failed' | 'skipped' | 'unknown' | 'undelivered';
  owner_id: string | null;
  session_id: number | null;
  error?: { code: string; message: string };
  token?: string;
}

/** The NDJSON result lines on stdout. */
export const parse = (result: Result) =>
  result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

/** Sessions the sandbox created, in all and per owner: duplicates show here. */
export async function stats(
  served: Served,
): Promise<{ sessions: number; by_owner: Record<string, number> }> {
  const response = await request(`${served.baseUrl}/_sandbox/stats`);
  return (await response.body.json()) as { sessions: number; by_owner: Record<string, number> };
}
