// Paths given to flags, checked before anything is written or sent, so that a bad one fails the
// start (exit 2, naming the flag, the path and the problem) and leaves nothing behind.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ioReason, UsageError } from '../errors.js';

const failure = (code: string) => Object.assign(new Error(code), { code });

/** A file cst will read; `given` is the path as the user wrote it, when cst expanded it. */
export function checkReadable(flag: string, path: string, given = path): void {
  try {
    if (statSync(path).isDirectory()) throw failure('EISDIR');
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(`${flag}: ${given}: ${ioReason(error)}`);
  }
}

/** A file cst will create or add to: not a directory, and in a directory that exists. */
export function checkWritable(flag: string, path: string): void {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw failure('EISDIR');
    if (stat) {
      accessSync(path, constants.W_OK);
      return;
    }
    if (!statSync(dirname(path)).isDirectory()) throw failure('ENOTDIR');
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UsageError(`${flag}: ${path}: ${ioReason(error)}`);
  }
}
