import { LoadError } from './plan.js';

export const ENOEXEC = 8;

/** The error for anything that is not a runnable program: a shell reports status 126. */
export function noexec(message: string): LoadError {
  return new LoadError(message, ENOEXEC);
}
