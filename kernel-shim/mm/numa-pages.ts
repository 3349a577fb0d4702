// Page placement on a one-node machine: migrate_pages has nowhere to move pages to, and
// move_pages reports (or "moves" to node 0) each page where it is: node 0 when present,
// -ENOENT when not faulted in yet, -EFAULT outside every mapping, as mm/migrate.c does.
import { CAP_SYS_NICE, hasCapability } from '../capabilities.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { taskByTid } from '../sched-policy.js';
import type { Task } from '../task.js';
import type { AddressSpace } from './addrspace.js';
import { PAGE_SIZE } from './constants.js';
import { MAX_NUMNODES, readNodemask } from './mempolicy.js';
import { MPOL_MF_MOVE, MPOL_MF_MOVE_ALL } from './numa-calls.js';

const ONLINE_NODES = 1n;
/** do_pages_stat's chunk: statuses are written back 16 at a time. */
const STAT_CHUNK = 16;

/** find_mm_struct: the address space of the task with this id (0: the caller's); ESRCH, or EPERM for another user's. */
function targetMm(k: Kernel, t: Task, pid: number): AddressSpace | number {
  if (pid === 0) return t.process.mm;
  const target = pid < 0 ? -Errno.ESRCH : taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  if (target.process.uid !== t.process.uid && t.process.uid !== 0) return -Errno.EPERM;
  return target.process.mm;
}

/** migrate_pages(2): the node sets are checked, nothing moves (every page is on node 0). */
export function migratePages(k: Kernel, t: Task, pid: number, maxnode: bigint, oldNodes: number, newNodes: number): number {
  const from = readNodemask(t.process.mm, oldNodes, maxnode);
  if (typeof from === 'number') return from;
  const to = readNodemask(t.process.mm, newNodes, maxnode);
  if (typeof to === 'number') return to;
  const mm = targetMm(k, t, pid);
  if (typeof mm === 'number') return mm;
  if ((to & ~ONLINE_NODES) !== 0n && !hasCapability(t, CAP_SYS_NICE)) return -Errno.EPERM;
  return (to & ONLINE_NODES) === 0n ? -Errno.EINVAL : 0;
}

/** Where the page at addr is: 0 (node 0) when present, -ENOENT when not faulted in, -EFAULT when unmapped. */
function pageStatus(mm: AddressSpace, addr: number): number {
  if (mm.findArea(addr) === undefined) return -Errno.EFAULT;
  return mm.residentFrame(Math.floor(addr / PAGE_SIZE) * PAGE_SIZE) < 0 ? -Errno.ENOENT : 0;
}

function readPointer(mm: AddressSpace, addr: number): number | null {
  const v = mm.readU64(addr);
  return v === null ? null : v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}

function writeStatus(mm: AddressSpace, addr: number, values: number[]): boolean {
  return mm.write(addr, new Uint8Array(new Int32Array(values).buffer));
}

/** One move_pages(2) call, its arguments as the guest passed them. */
export interface MovePagesRequest {
  pid: number;
  count: number;
  pages: number;
  nodes: number;
  status: number;
  flags: number;
}

/** do_pages_stat: statuses of `count` pages, 16 at a time; -EFAULT if an array cannot be read or written. */
function pagesStat(caller: AddressSpace, mm: AddressSpace, r: MovePagesRequest): number {
  for (let done = 0; done < r.count; done += STAT_CHUNK) {
    const n = Math.min(STAT_CHUNK, r.count - done);
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const addr = readPointer(caller, r.pages + (done + i) * 8);
      if (addr === null) return -Errno.EFAULT;
      statuses.push(addr < 0 ? -Errno.EFAULT : pageStatus(mm, addr));
    }
    if (!writeStatus(caller, r.status + done * 4, statuses)) return -Errno.EFAULT;
  }
  return 0;
}

/** do_pages_move: each page "moved" to its node (only node 0 exists); the first bad node ends the call. */
function pagesMove(caller: AddressSpace, mm: AddressSpace, r: MovePagesRequest): number {
  for (let i = 0; i < r.count; i++) {
    const addr = readPointer(caller, r.pages + i * 8);
    const node = caller.readU32(r.nodes + i * 4);
    if (addr === null || node === null) return -Errno.EFAULT;
    if ((node | 0) < 0 || node >= MAX_NUMNODES || node !== 0) return -Errno.ENODEV;
    if (!writeStatus(caller, r.status + i * 4, [addr < 0 ? -Errno.EFAULT : pageStatus(mm, addr)])) return -Errno.EFAULT;
  }
  return 0;
}

/** move_pages(2): with nodes, move each page there; without, report where each page is. */
export function movePages(k: Kernel, t: Task, r: MovePagesRequest): number {
  if (r.flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -Errno.EINVAL;
  if (r.flags & MPOL_MF_MOVE_ALL && !hasCapability(t, CAP_SYS_NICE)) return -Errno.EPERM;
  const mm = targetMm(k, t, r.pid);
  if (typeof mm === 'number') return mm;
  return r.nodes === 0 ? pagesStat(t.process.mm, mm, r) : pagesMove(t.process.mm, mm, r);
}
