// The sandbox plays StackOne's Hub: the page an auth link opens, where the customer picks a
// provider and connects, or fails, or cancels. Plain HTML and form posts, no script and no
// external asset, so it works with JavaScript off. Each step records the session's
// `latest_connection_attempt`, which `cst wait` polls.
import { randomBytes } from 'node:crypto';
import { linkAccount } from './accounts.js';
import {
  hashToken,
  UnknownTokenError,
  type SandboxAccount,
  type SandboxAttempt,
  type SandboxSession,
  type SandboxStore,
} from './state.js';

/** A few real provider keys per category, enough to choose from. */
const PROVIDERS: Record<string, string[]> = {
  hris: ['bamboohr', 'personio', 'hibob', 'workday'],
  'hris-legacy': ['bamboohr', 'workday'],
  ats: ['greenhouse', 'lever', 'ashby', 'workable'],
  crm: ['hubspot', 'salesforce', 'pipedrive'],
  iam: ['okta', 'azuread', 'googleworkspace'],
  lms: ['docebo', 'talentlms'],
  marketing: ['mailchimp', 'marketo'],
  ticketing: ['jira', 'zendesk'],
  documents: ['googledrive', 'sharepoint'],
  messaging: ['slack', 'teams'],
  accounting: ['xero', 'quickbooks'],
  scheduling: ['calendly'],
  screening: ['checkr'],
  stackone: ['stackone'],
};

export type Outcome = 'authenticated' | 'error' | 'cancelled';

/** What the customer did: connecting names a provider; failing or cancelling may. */
export type Decision =
  | { outcome: 'authenticated'; provider: string }
  | { outcome: 'error' | 'cancelled'; provider?: string | undefined };

/** The session behind a token, while it is live. */
export async function liveSession(
  store: SandboxStore,
  token: string,
  now: Date,
): Promise<SandboxSession | undefined> {
  const session = await store.findSession(hashToken(token));
  return session && Date.parse(session.expiresAt) > now.getTime() ? session : undefined;
}

/** Opening the page starts an attempt, unless one is under way; a decided session is refused. */
export async function openAttempt(
  store: SandboxStore,
  session: SandboxSession,
  now: Date,
): Promise<SandboxAttempt> {
  return store.update(async () => {
    const latest = await undecided(store, session);
    if (latest) return latest;
    const attempt = newAttempt(session, now);
    await store.recordAttempt(attempt);
    return attempt;
  });
}

/**
 * Connect, Fail or Cancel: the attempt's final state, and the account Connect created. Final
 * outcomes are final: deciding a decided session is refused, under the store's lock, so two
 * clicks (or a click and `sandbox link`) never link two accounts.
 */
export async function finishAttempt(
  store: SandboxStore,
  token: string,
  decision: Decision,
  now: Date,
): Promise<{ attempt: SandboxAttempt; account?: SandboxAccount['account'] }> {
  const session = await liveSession(store, token, now);
  if (!session) throw new UnknownTokenError();
  const { outcome, provider } = decision;
  const offered = providersFor(categoriesOf(session));
  if (provider !== undefined && !offered.includes(provider))
    throw new UnofferedProviderError(provider, offered);
  return store.update(async (state) => {
    const started = (await undecided(store, session)) ?? newAttempt(session, now);
    const account =
      decision.outcome === 'authenticated'
        ? linkAccount(state, session, decision.provider, now)
        : undefined;
    const attempt: SandboxAttempt = {
      ...started,
      updated_at: now.toISOString(),
      status: outcome,
      account_secure_id: account?.id ?? null,
      oauth_error_code: outcome === 'error' ? 'access_denied' : null,
      oauth_error_description:
        outcome === 'error'
          ? `the customer did not grant access${provider ? ` to ${provider}` : ''} (sandbox)`
          : null,
    };
    await store.recordAttempt(attempt);
    return account ? { attempt, account } : { attempt };
  });
}

/** The session's pending attempt, if any; throws when its latest attempt is final. */
async function undecided(
  store: SandboxStore,
  session: SandboxSession,
): Promise<SandboxAttempt | undefined> {
  const latest = await store.latestAttempt(session.id);
  if (latest && latest.status !== 'pending') throw new DecidedError(latest);
  return latest;
}

function newAttempt(session: SandboxSession, now: Date): SandboxAttempt {
  const at = now.toISOString();
  return {
    session_id: session.id,
    id: `att_${randomBytes(8).toString('hex')}`,
    created_at: at,
    updated_at: at,
    status: 'pending',
    account_secure_id: null,
    oauth_error_code: null,
    oauth_error_description: null,
  };
}

/** A session whose latest attempt is authenticated, error or cancelled. */
export class DecidedError extends Error {
  constructor(readonly attempt: SandboxAttempt) {
    super(`the session is already decided (${attempt.status})`);
  }
}

/** A provider the Hub did not offer for the session's categories. */
export class UnofferedProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly offered: string[],
  ) {
    super(
      `provider "${provider}" is not offered for this session (offered: ${offered.join(', ')})`,
    );
  }
}

function categoriesOf(session: SandboxSession): string[] {
  return (session.fields.categories as string[] | undefined) ?? [];
}

/** The providers offered for a session's categories (every one when it names none). */
function providersFor(categories: string[] | undefined): string[] {
  const chosen = categories && categories.length > 0 ? categories : Object.keys(PROVIDERS);
  return [...new Set(chosen.flatMap((category) => PROVIDERS[category] ?? []))];
}

export function hubPage(session: SandboxSession, token: string): string {
  const fields = session.fields as { origin_owner_name: string; origin_owner_id: string };
  const categories = categoriesOf(session);
  const providers = providersFor(categories);
  const options = providers
    .map(
      (provider, i) =>
        `<label><input type="radio" name="provider" value="${html(provider)}"${i === 0 ? ' checked' : ''}> ${html(provider)}</label>`,
    )
    .join('\n        ');
  return page(
    'Connect an account',
    `<h1>Connect an account</h1>
    <p>For <strong id="owner">${html(fields.origin_owner_name)}</strong> (${html(fields.origin_owner_id)})${
      categories.length > 0
        ? `, categories <span id="categories">${html(categories.join(', '))}</span>`
        : ''
    }.</p>
    <form method="post" action="/connect">
      <input type="hidden" name="token" value="${html(token)}">
      <fieldset>
        <legend>Provider</legend>
        ${options}
      </fieldset>
      <p>
        <button type="submit" name="outcome" value="authenticated">Connect</button>
        <button type="submit" name="outcome" value="error">Fail</button>
        <button type="submit" name="outcome" value="cancelled">Cancel</button>
      </p>
    </form>
    <p class="note">This is cst's sandbox, playing StackOne's Hub: nothing leaves this machine.</p>`,
  );
}

export function resultPage(attempt: SandboxAttempt, provider: string): string {
  const [title, text] =
    attempt.status === 'authenticated'
      ? [
          'Connected',
          `The ${html(provider)} account <code id="account">${html(attempt.account_secure_id ?? '')}</code> is linked.`,
        ]
      : attempt.status === 'error'
        ? ['Connection failed', html(attempt.oauth_error_description ?? 'the connection failed')]
        : ['Cancelled', 'Nothing was connected.'];
  return page(title, `<h1 id="result">${title}</h1>\n    <p>${text} You can close this page.</p>`);
}

export function errorPage(message: string, title = 'Link not found'): string {
  return page(title, `<h1>${html(title)}</h1>\n    <p>${html(message)}</p>`);
}

/** A session whose outcome is final: the page says so and offers nothing to click. */
export function decidedPage(attempt: SandboxAttempt): string {
  const outcome =
    attempt.status === 'authenticated'
      ? `connected (account ${attempt.account_secure_id ?? 'unknown'})`
      : attempt.status === 'error'
        ? 'failed'
        : 'cancelled';
  return errorPage(
    `This session is already decided: ${outcome}. Ask for a new link to connect again.`,
    'Already decided',
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${html(title)} · cst sandbox</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
      fieldset { border: 1px solid #ccc; border-radius: 6px; }
      label { display: block; padding: 0.2rem 0; }
      button { font: inherit; padding: 0.4rem 1rem; margin-right: 0.5rem; }
      .note { color: #666; font-size: 0.9rem; }
    </style>
  </head>
  <body>
    ${body}
  </body>
</html>
`;
}

function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}
