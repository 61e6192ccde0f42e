// Secrets never reach stderr, logs or files not meant for them: every debug line and error
// message passes through here. Secrets are scrubbed by field name (in JSON) and by value (the API
// key, its Basic form, every token and auth link seen), and userinfo is cut from URLs.

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
    let result = text.replace(/(\w+:\/\/)[^/@\s]+@/g, `$1${REDACTED}@`);
    // Longest first, so that a key inside a longer secret does not leave the rest behind.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      result = result.split(secret).join(REDACTED);
    return result;
  }

  json(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.json(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          SECRET_FIELDS.has(key.toLowerCase()) && item !== null ? REDACTED : this.json(item),
        ]),
      );
    }
    return typeof value === 'string' ? this.text(value) : value;
  }

  /** A body as text: redacted as JSON when it is JSON. */
  body(text: string): string {
    try {
      return JSON.stringify(this.json(JSON.parse(text)));
    } catch {
      return this.text(text);
    }
  }
}
