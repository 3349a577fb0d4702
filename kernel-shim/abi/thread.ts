// Structures of thread creation and teardown: struct clone_args (clone3) and
// struct robust_list_head (set_robust_list/get_robust_list).

export interface CloneArgs {
  flags: bigint;
  pidfd: bigint;
  childTid: bigint;
  parentTid: bigint;
  exitSignal: bigint;
  /** Lowest address of the child's stack; its RSP starts at stack + stackSize. */
  stack: bigint;
  stackSize: bigint;
  tls: bigint;
  setTid: bigint;
  setTidSize: bigint;
  cgroup: bigint;
}

export const CLONE_ARGS_SIZE = 88;
/** Sizes of the earlier struct versions clone3 accepts (v0 has no set_tid, v1 no cgroup). */
export const CLONE_ARGS_SIZE_VER0 = 64;
export const CLONE_ARGS_SIZE_VER1 = 80;
export const CLONE_ARGS_OFFSETS = {
  flags: 0,
  pidfd: 8,
  childTid: 16,
  parentTid: 24,
  exitSignal: 32,
  stack: 40,
  stackSize: 48,
  tls: 56,
  setTid: 64,
  setTidSize: 72,
  cgroup: 80,
} as const;

const FIELDS = Object.keys(CLONE_ARGS_OFFSETS) as (keyof CloneArgs)[];

/** Reads the first `size` bytes (the caller's struct version); later fields read as zero. */
export function decodeCloneArgs(view: DataView, off: number, size: number = CLONE_ARGS_SIZE): CloneArgs {
  const field = (f: keyof CloneArgs) =>
    CLONE_ARGS_OFFSETS[f] + 8 <= size ? view.getBigUint64(off + CLONE_ARGS_OFFSETS[f], true) : 0n;
  return {
    flags: field('flags'),
    pidfd: field('pidfd'),
    childTid: field('childTid'),
    parentTid: field('parentTid'),
    exitSignal: field('exitSignal'),
    stack: field('stack'),
    stackSize: field('stackSize'),
    tls: field('tls'),
    setTid: field('setTid'),
    setTidSize: field('setTidSize'),
    cgroup: field('cgroup'),
  };
}

export function encodeCloneArgs(view: DataView, off: number, args: CloneArgs): void {
  for (const f of FIELDS) view.setBigUint64(off + CLONE_ARGS_OFFSETS[f], args[f], true);
}

export interface RobustListHead {
  /** list.next: the first lock in the list, or the head's own address when empty. */
  list: bigint;
  /** Offset from a list entry to its futex word (signed). */
  futexOffset: bigint;
  listOpPending: bigint;
}
export const ROBUST_LIST_HEAD_SIZE = 24;
export const ROBUST_LIST_HEAD_OFFSETS = { list: 0, futexOffset: 8, listOpPending: 16 } as const;

export function decodeRobustListHead(view: DataView, off: number): RobustListHead {
  return {
    list: view.getBigUint64(off + ROBUST_LIST_HEAD_OFFSETS.list, true),
    futexOffset: view.getBigInt64(off + ROBUST_LIST_HEAD_OFFSETS.futexOffset, true),
    listOpPending: view.getBigUint64(off + ROBUST_LIST_HEAD_OFFSETS.listOpPending, true),
  };
}

export function encodeRobustListHead(view: DataView, off: number, h: RobustListHead): void {
  view.setBigUint64(off + ROBUST_LIST_HEAD_OFFSETS.list, h.list, true);
  view.setBigInt64(off + ROBUST_LIST_HEAD_OFFSETS.futexOffset, h.futexOffset, true);
  view.setBigUint64(off + ROBUST_LIST_HEAD_OFFSETS.listOpPending, h.listOpPending, true);
}
