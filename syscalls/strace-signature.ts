// The argument and result kinds --strace uses for a call: its table entry's, or six raw
// arguments (as strace prints calls it does not know) when the call has no entry.
import { type ArgSpec, type ResultKind, UNKNOWN_CALL } from './argkinds.js';
import { ALL_DEFINITIONS } from './table.js';
import type { SyscallDef } from './types.js';

const BY_NAME: ReadonlyMap<string, SyscallDef> = new Map(ALL_DEFINITIONS.map((d) => [d.name, d]));

export function argKindsOf(def: SyscallDef | undefined, args: readonly bigint[]): readonly ArgSpec[] {
  const signature = def?.args;
  if (signature === undefined) return UNKNOWN_CALL;
  return typeof signature === 'function' ? signature(args) : signature;
}

export function resultKindOf(def: SyscallDef | undefined, args: readonly bigint[]): ResultKind {
  const signature = def?.result;
  if (signature === undefined) return 'dec';
  return typeof signature === 'function' ? signature(args) : signature;
}

/** The argument specs strace would use for the call named `name` with these raw arguments. */
export function argKinds(name: string, args: readonly bigint[]): readonly ArgSpec[] {
  return argKindsOf(BY_NAME.get(name), args);
}

/** How strace prints the result of a successful call named `name`. */
export function resultKind(name: string, args: readonly bigint[]): ResultKind {
  return resultKindOf(BY_NAME.get(name), args);
}
