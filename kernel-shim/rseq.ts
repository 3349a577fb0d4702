// rseq(2), restartable sequences. A thread registers a struct rseq (glibc does at start and
// for every thread, to read its CPU number without a syscall); the kernel keeps its CPU and
// node ids current there and, when the thread is preempted or gets a signal inside a
// critical section that the area's rseq_cs names, moves it to the section's abort handler.
// The guest sees one CPU (getcpu answers 0), so the ids never change; what matters is the
// abort, since guest threads interleave on ushim's one CPU at every time slice.
import { Errno } from './errno.js';
import type { Task } from './task.js';

const RSEQ_FLAG_UNREGISTER = 1;
/** The size of struct rseq in Linux 4.18's ABI; larger (extensible) areas end at least at `end`. */
const ORIG_RSEQ_SIZE = 32;
const RSEQ_END_OFFSET = 28;
const RSEQ_ALIGN = 32;
/** struct rseq fields (offsets). */
const CPU_ID_START = 0, CPU_ID = 4, RSEQ_CS = 8, NODE_ID = 20, MM_CID = 24;
/** struct rseq_cs: version, flags, start_ip, post_commit_offset, abort_ip. */
const RSEQ_CS_SIZE = 32;
/** Top of the user address space: pointers at or above it are invalid. */
const TASK_SIZE = 0x7ffffffff000n;

export interface RseqRegistration {
  addr: number;
  len: number;
  sig: number;
}

/** Writes the CPU and node ids (always CPU 0, node 0) into the area; false when it cannot. */
function publishIds(t: Task, addr: number): boolean {
  const mm = t.process.mm;
  return mm.writeU32(addr + CPU_ID_START, 0) && mm.writeU32(addr + CPU_ID, 0) && mm.writeU32(addr + NODE_ID, 0) && mm.writeU32(addr + MM_CID, 0);
}

/**
 * rseq(addr, len, flags, sig): registers the caller's area, or with RSEQ_FLAG_UNREGISTER
 * removes it. Linux checks only that the area lies in user space: an area it cannot write is
 * not an error here; the thread gets SIGSEGV at its next preemption or signal.
 */
export function rseqCall(t: Task, addr: number, len: number, flags: number, sig: number): number {
  const current = t.rseq;
  if (flags & RSEQ_FLAG_UNREGISTER) {
    if (flags & ~RSEQ_FLAG_UNREGISTER) return -Errno.EINVAL;
    if (current === undefined || current.addr !== addr || current.len !== len) return -Errno.EINVAL;
    if (current.sig !== sig) return -Errno.EPERM;
    t.rseq = undefined;
    // The ids go back to "not registered" (RSEQ_CPU_ID_UNINITIALIZED).
    if (!publishIds(t, addr) || !t.process.mm.writeU32(addr + CPU_ID, 0xffffffff)) return -Errno.EFAULT;
    return 0;
  }
  if (flags !== 0) return -Errno.EINVAL;
  if (current !== undefined) {
    if (current.addr !== addr || current.len !== len) return -Errno.EINVAL;
    return current.sig !== sig ? -Errno.EPERM : -Errno.EBUSY;
  }
  const aligned = addr % RSEQ_ALIGN === 0;
  if (len < ORIG_RSEQ_SIZE || (len === ORIG_RSEQ_SIZE && !aligned) || (len !== ORIG_RSEQ_SIZE && (!aligned || len < RSEQ_END_OFFSET))) return -Errno.EINVAL;
  if (BigInt(addr) + BigInt(len) > TASK_SIZE) return -Errno.EFAULT;
  t.rseq = { addr, len, sig };
  publishIds(t, addr);
  return 0;
}

/**
 * Where a thread interrupted at `rip` resumes (Linux's rseq_ip_fixup): the abort handler when
 * rip lies inside the critical section its area names, else rip. The area's rseq_cs is
 * cleared and the ids published again. undefined when the area or the descriptor is
 * unusable: Linux then forces SIGSEGV (signal/deliver.ts rseqInterrupted does).
 */
export function rseqResumeAt(t: Task, rip: bigint): bigint | undefined {
  const reg = t.rseq;
  if (reg === undefined) return rip;
  const mm = t.process.mm;
  const csAddr = mm.readU64(reg.addr + RSEQ_CS);
  if (csAddr === null) return undefined;
  const resume = csAddr === 0n ? rip : criticalSectionExit(t, csAddr, rip);
  if (resume === undefined || (csAddr !== 0n && !mm.writeU64(reg.addr + RSEQ_CS, 0n)) || !publishIds(t, reg.addr)) return undefined;
  return resume;
}

/** The abort ip when rip is inside the section described at csAddr, rip when outside, undefined when the descriptor is invalid. */
function criticalSectionExit(t: Task, csAddr: bigint, rip: bigint): bigint | undefined {
  if (csAddr >= TASK_SIZE) return undefined;
  const mm = t.process.mm;
  const raw = mm.read(Number(csAddr), RSEQ_CS_SIZE);
  if (raw === null) return undefined;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const version = dv.getUint32(0, true);
  const start = dv.getBigUint64(8, true);
  const length = dv.getBigUint64(16, true);
  const abort = dv.getBigUint64(24, true);
  const end = start + length;
  if (version > 0 || start >= TASK_SIZE || end >= TASK_SIZE || abort >= TASK_SIZE) return undefined;
  // The abort handler lies outside the section, behind the registered signature.
  if (BigInt.asUintN(64, abort - start) < length) return undefined;
  if (mm.readU32(Number(abort) - 4) !== t.rseq!.sig) return undefined;
  return BigInt.asUintN(64, rip - start) < length ? abort : rip;
}
