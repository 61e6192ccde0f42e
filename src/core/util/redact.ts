// Secrets never reach stderr, logs or files not meant for them: every debug line and error
// message passes through here. Secrets are scrubbed by field name (in JSON) and by value (the API
// key, its Basic form, every token and auth link seen), and userinfo is cut from URLs. Every pass
// is linear in the text: server text and user files can be megabytes long.

const SECRET_FIELDS = new Set([
  'authorization',
  'token',
  'auth_link_url',
  'credentials',
  'setup_information',
  'secrets',
  'api_key',
  'apikey',
  'password',
  'external_trigger_token',
  'proxy-authorization',
]);

export const REDACTED = '[redacted]';

/** JSON deeper than this is summarised, not walked: a hostile body must not blow the stack. */
const MAX_DEPTH = 64;
/** How much of a body that is not JSON a debug line shows. */
const PREVIEW_CHARS = 200;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret value; short strings would redact too much and are ignored. */
  add(secret: string | null | undefined): void {
    if (!secret || secret.length < 6) return;
    this.secrets.add(secret);
    this.secrets.add(encodeURIComponent(secret));
  }

  /** The API key, and the Basic credential built from it. */
  addApiKey(key: string): void {
    this.add(key);
    this.add(Buffer.from(`${key}:`).toString('base64'));
  }

  text(text: string): string {
    let result = redactUserinfo(text);
    // Longest first, so that a key inside a longer secret does not leave the rest behind.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result;
  }

  json(value: unknown, depth = 0): unknown {
    if (typeof value === 'object' && value !== null && depth >= MAX_DEPTH) return '[nested]';
    if (Array.isArray(value)) return value.map((item) => this.json(item, depth + 1));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          SECRET_FIELDS.has(key.toLowerCase()) && item !== null
            ? REDACTED
            : this.json(item, depth + 1),
        ]),
      );
    }
    return typeof value === 'string' ? this.text(value) : value;
  }

  /**
   * A body for a debug line: redacted as JSON when it is JSON. A body that is not JSON may be a
   * torn create response holding a live token, so only its size, its type and a short start with
   * every token-shaped run cut are shown.
   */
  body(text: string, contentType?: string): string {
    try {
      return JSON.stringify(this.json(JSON.parse(text)));
    } catch {
      // A run cut by the preview's end may be the start of a secret: it goes, whatever it is.
      const start = text.slice(0, PREVIEW_CHARS);
      const cut =
        text.length > PREVIEW_CHARS ? start.replace(/[A-Za-z0-9_\-.+/=]+$/, REDACTED) : start;
      const preview = redactTokenShaped(this.text(cut));
      return `${Buffer.byteLength(text)} bytes${contentType ? ` of ${contentType}` : ''}, not JSON: ${JSON.stringify(preview)}${text.length > PREVIEW_CHARS ? '…' : ''}`;
    }
  }
}

/** `scheme://user:pass@host` → `scheme://[redacted]@host`, in one pass over the text. */
export function redactUserinfo(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    if (at === 0 || !/\w/.test(text[at - 1]!)) continue;
    const start = at + 3;
    let end = start;
    // Stops at the next '/', so each stretch of text is scanned once (every '://' holds a '/').
    while (end < text.length && !'/@'.includes(text[end]!) && !/\s/.test(text[end]!)) end++;
    if (end > start && text[end] === '@') {
      out += text.slice(from, start) + REDACTED;
      from = end;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Every run of token characters that could be part of a secret, whatever its length: a torn body
 * may end inside a token, leaving only a fragment. Plain words (letters only, shorter than a
 * token) and plain numbers stay, so an HTML error page or an id is still readable.
 */
function redactTokenShaped(text: string): string {
  return text.replace(/[A-Za-z0-9_\-.+/=]+/g, (run) =>
    (/^[A-Za-z]+$/.test(run) && run.length < 20) || /^[0-9]+$/.test(run) ? run : REDACTED,
  );
}
