// Out of guest memory. A guest access that needs a frame when guest RAM is exhausted gets
// what Linux's OOM killer gives it: the process is killed with SIGKILL and one line on
// stderr says so; ushim itself goes on (kernel-side copies fail with EFAULT instead:
// mm/addrspace.ts, and MAP_POPULATE with ENOMEM: mm/mapping.ts).
import { type Access, TLB_FAULT } from './cpu-port.js';
import type { Kernel } from './kernel.js';
import { killProcess } from './lifecycle.js';
import { OutOfFrames } from './mm/frames.js';
import { SIGKILL } from './signal/numbers.js';
import type { Task } from './task.js';

/** The TLB fill of a guest access by `task` (CpuEvents.tlbFill). */
export function guestFill(k: Kernel, task: Task, vaddr: number, access: Access): number {
  try {
    return task.process.mm.fill(vaddr, access);
  } catch (e) {
    if (!(e instanceof OutOfFrames)) throw e;
    const proc = task.process;
    k.warn(`out of guest memory: killed process ${proc.pid} (${proc.comm})`);
    killProcess(proc, SIGKILL);
    return TLB_FAULT;
  }
}
