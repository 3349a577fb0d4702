// The kernel's struct sigaction (rt_sigaction; not glibc's layout) and stack_t (sigaltstack).

export interface KernelSigaction {
  /** SIG_DFL 0, SIG_IGN 1, or the handler address. */
  handler: bigint;
  /** SA_* flags (the kernel strips bits it does not know). */
  flags: bigint;
  restorer: bigint;
  /** Signals blocked while the handler runs; signal n is bit n-1. */
  mask: bigint;
}
export const SIGACTION_SIZE = 32;
export const SIGACTION_OFFSETS = { handler: 0, flags: 8, restorer: 16, mask: 24 } as const;

export function decodeSigaction(view: DataView, off: number): KernelSigaction {
  return {
    handler: view.getBigUint64(off + SIGACTION_OFFSETS.handler, true),
    flags: view.getBigUint64(off + SIGACTION_OFFSETS.flags, true),
    restorer: view.getBigUint64(off + SIGACTION_OFFSETS.restorer, true),
    mask: view.getBigUint64(off + SIGACTION_OFFSETS.mask, true),
  };
}

export function encodeSigaction(view: DataView, off: number, sa: KernelSigaction): void {
  view.setBigUint64(off + SIGACTION_OFFSETS.handler, sa.handler, true);
  view.setBigUint64(off + SIGACTION_OFFSETS.flags, sa.flags, true);
  view.setBigUint64(off + SIGACTION_OFFSETS.restorer, sa.restorer, true);
  view.setBigUint64(off + SIGACTION_OFFSETS.mask, sa.mask, true);
}

/** SA_* flag values on x86-64, as bigint to combine with KernelSigaction.flags. */
export const SA = {
  NOCLDSTOP: 0x1n,
  NOCLDWAIT: 0x2n,
  SIGINFO: 0x4n,
  UNSUPPORTED: 0x400n,
  EXPOSE_TAGBITS: 0x800n,
  RESTORER: 0x04000000n,
  ONSTACK: 0x08000000n,
  RESTART: 0x10000000n,
  NODEFER: 0x40000000n,
  RESETHAND: 0x80000000n,
} as const;

/** stack_t: ss_sp, ss_flags (int, then 4 bytes of padding), ss_size. */
export interface StackT {
  sp: bigint;
  /** SS_* bits, read as unsigned so SS_AUTODISARM compares equal. */
  flags: number;
  size: bigint;
}
export const STACK_T_SIZE = 24;
export const STACK_T_OFFSETS = { sp: 0, flags: 8, size: 16 } as const;

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000;
export const MINSIGSTKSZ = 2048;

export function decodeStackT(view: DataView, off: number): StackT {
  return {
    sp: view.getBigUint64(off + STACK_T_OFFSETS.sp, true),
    flags: view.getUint32(off + STACK_T_OFFSETS.flags, true),
    size: view.getBigUint64(off + STACK_T_OFFSETS.size, true),
  };
}

export function encodeStackT(view: DataView, off: number, ss: StackT): void {
  view.setBigUint64(off + STACK_T_OFFSETS.sp, ss.sp, true);
  view.setUint32(off + STACK_T_OFFSETS.flags, ss.flags, true);
  view.setUint32(off + STACK_T_OFFSETS.flags + 4, 0, true);
  view.setBigUint64(off + STACK_T_OFFSETS.size, ss.size, true);
}
