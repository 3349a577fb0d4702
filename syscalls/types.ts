// The shape of a syscall handler and of its table entry.
import type { SyscallFrame } from '../cpu/engine.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import type { Block } from '../kernel-shim/wait.js';
import type { ArgSignature, ResultSignature } from './argkinds.js';

export type { SyscallFrame };

/** A value for rax (>= 0, or -errno), or null when the handler set the registers itself. */
export type SyscallResult = number | bigint | null;

/** A handler may also return a Block: the task sleeps and the call is retried when woken. */
export type Handler = (k: Kernel, t: Task, a: SyscallFrame) => SyscallResult | Block;

/**
 * full: Linux semantics; partial: the common cases, documented gaps in `note`;
 * stub: accepts the call and does nothing observable (documented); none: -ENOSYS.
 */
export type Support = 'full' | 'partial' | 'stub' | 'none';

/**
 * One syscall's table entry; its number comes from syscall_64.tbl (or extra-numbers.ts) by
 * name. Every implemented entry (support other than 'none') has args and result, and a
 * partial or stub one a note (test/unit/syscall-table.test.ts checks this).
 */
export interface SyscallDef {
  name: string;
  handler: Handler;
  support: Support;
  /** How --strace prints the arguments, like strace does. */
  args?: ArgSignature;
  /** How --strace prints a successful result. */
  result?: ResultSignature;
  /** Needs the whole register frame (historically /ptregs): clone, fork, execve, rt_sigreturn... */
  ptregs?: true;
  /** What differs from Linux (partial), or why nothing needs doing (stub). */
  note?: string;
}
