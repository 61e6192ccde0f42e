// Plain HTTP calls for tests that speak to a server directly, as StackOne's own clients would.
import { request } from 'undici';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export async function call(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<Answer> {
  const response = await request(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(key === undefined
        ? {}
        : { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}
