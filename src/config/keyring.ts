// The OS keyring, through @napi-rs/keyring: loaded only when a keyring is used, pinned to the
// Secret Service on Linux (its kernel-keyring fallback loses keys at reboot), and every call
// has a time limit, because a keyring daemon that does not answer must not hang cst.
import type { AsyncEntry } from '@napi-rs/keyring';

const SERVICE = 'cst';
const TIME_LIMIT_MS = 3000;

/**
 * Why no keyring answered. The message is the library's raw text (a D-Bus error, often several
 * lines): for --debug and `doctor --verbose` only; people get KEYRING_UNREACHABLE.
 */
export class KeyringUnavailable extends Error {}

/** The one plain line a person meets when the keyring is not there. */
export const KEYRING_UNREACHABLE = 'no OS keyring is reachable';

async function entry(account: string): Promise<AsyncEntry> {
  let module: typeof import('@napi-rs/keyring');
  try {
    module = await import('@napi-rs/keyring');
  } catch (error) {
    throw new KeyringUnavailable(`the keyring library cannot load: ${(error as Error).message}`);
  }
  try {
    return new module.AsyncEntry(SERVICE, account, { linux: { store: 'secret-service' } });
  } catch (error) {
    throw new KeyringUnavailable((error as Error).message);
  }
}

async function limited<T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(TIME_LIMIT_MS);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KeyringUnavailable(
            `the keyring did not answer within ${TIME_LIMIT_MS / 1000}s (${what})`,
          ),
        ),
      TIME_LIMIT_MS,
    );
    timer.unref();
  });
  try {
    return await Promise.race([call(signal), timeout]);
  } catch (error) {
    if (error instanceof KeyringUnavailable) throw error;
    throw new KeyringUnavailable(`${what}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function keyringGet(account: string): Promise<string | null> {
  const item = await entry(account);
  return limited('read', (signal) => item.getPassword(signal));
}

export async function keyringSet(account: string, secret: string): Promise<void> {
  const item = await entry(account);
  await limited('write', (signal) => item.setPassword(secret, signal));
}

export async function keyringDelete(account: string): Promise<void> {
  const item = await entry(account);
  await limited('delete', (signal) => item.deleteCredential(signal));
}

/** Whether a keyring answers here, and if not, why. */
export async function keyringStatus(): Promise<
  { available: true } | { available: false; reason: string }
> {
  try {
    await keyringGet('__cst_probe__');
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
}
