// process_vm_readv/process_vm_writev: copies between the caller's memory and another guest
// process's. As in Linux the copy stops at the first fault on either side; the bytes moved
// so far are the result, or EFAULT when there were none.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import type { AddressSpace } from './mm/addrspace.js';
import type { Task } from './task.js';

export interface Segment {
  base: number;
  len: number;
}

const PAGE = 4096;
const toPageEnd = (addr: number): number => PAGE - (addr % PAGE);

/** Moves local <-> remote; write: local to remote (process_vm_writev). */
export function transfer(local: AddressSpace, localIov: readonly Segment[], remote: AddressSpace, remoteIov: readonly Segment[], write: boolean): number {
  const [src, dst] = write ? [local, remote] : [remote, local];
  const [srcIov, dstIov] = write ? [localIov, remoteIov] : [remoteIov, localIov];
  let moved = 0;
  let si = 0, di = 0, sOff = 0, dOff = 0;
  while (si < srcIov.length && di < dstIov.length) {
    const s = srcIov[si], d = dstIov[di];
    if (sOff === s.len) { si++; sOff = 0; continue; }
    if (dOff === d.len) { di++; dOff = 0; continue; }
    const from = s.base + sOff, to = d.base + dOff;
    // Within one page on both sides: the chunk moves whole or faults whole.
    const n = Math.min(s.len - sOff, d.len - dOff, toPageEnd(from), toPageEnd(to));
    const bytes = src.read(from, n);
    if (bytes === null || !dst.write(to, bytes)) return moved > 0 ? moved : -Errno.EFAULT;
    moved += n;
    sOff += n;
    dOff += n;
  }
  return moved;
}

/**
 * process_vm_readv/writev(pid, local, remote): copies between the caller's local segments and
 * process pid's remote ones (same owner, or root). remote is an errno when it could not be read.
 */
export function processVm(k: Kernel, t: Task, pid: number, local: readonly Segment[], remote: readonly Segment[] | number, write: boolean): number {
  if (local.every((v) => v.len === 0)) return 0;
  if (typeof remote === 'number') return remote;
  const target = pid > 0 ? k.processes.get(pid) : undefined;
  if (target === undefined || target.exited) return -Errno.ESRCH;
  if (t.process.uid !== 0 && target.uid !== t.process.uid) return -Errno.EPERM;
  return transfer(t.process.mm, local, target.mm, remote, write);
}
