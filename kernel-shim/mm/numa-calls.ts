// The NUMA calls on a one-node machine: set_mempolicy/get_mempolicy (a task's policy),
// mbind and set_mempolicy_home_node (an area's), in mm/mempolicy.c's order of checks.
import { CAP_SYS_NICE, hasCapability } from '../capabilities.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { PAGE_SIZE } from './constants.js';
import {
  MAX_NUMNODES, MPOL_BIND, MPOL_DEFAULT, MPOL_INTERLEAVE, MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE, type MemPolicy,
  newPolicy, policyFromArgs, policyNodes, policyWord,
} from './mempolicy.js';

export const MPOL_F_NODE = 1, MPOL_F_ADDR = 2, MPOL_F_MEMS_ALLOWED = 4;
export const MPOL_MF_STRICT = 1, MPOL_MF_MOVE = 2, MPOL_MF_MOVE_ALL = 4;
const PAGE = BigInt(PAGE_SIZE);

/** set_mempolicy(mode, nmask, maxnode): the calling thread's policy. */
export function setMempolicy(t: Task, modeArg: number, nmask: number, maxnode: bigint): number {
  const args = policyFromArgs(t.process.mm, modeArg, nmask, maxnode);
  if (typeof args === 'number') return args;
  const policy = newPolicy(args.mode, args.flags, args.nodes);
  if (typeof policy === 'number') return policy;
  t.mempolicy = policy;
  return 0;
}

/** One get_mempolicy(2) call, its arguments as the guest passed them. */
export interface GetMempolicyRequest {
  policyAddr: number;
  nmask: number;
  maxnode: bigint;
  addr: number;
  flags: bigint;
}

/** do_get_mempolicy: the policy word (or node) and nodemask to report, or -errno. */
function lookupPolicy(t: Task, r: GetMempolicyRequest): { word: number; nodes: bigint } | number {
  if ((r.flags & ~BigInt(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) !== 0n) return -Errno.EINVAL;
  const flags = Number(r.flags);
  if (flags & MPOL_F_MEMS_ALLOWED) return flags & (MPOL_F_NODE | MPOL_F_ADDR) ? -Errno.EINVAL : { word: 0, nodes: 1n };
  let policy: MemPolicy | undefined = t.mempolicy;
  const mm = t.process.mm;
  if (flags & MPOL_F_ADDR) {
    const area = mm.findArea(r.addr);
    if (area === undefined) return -Errno.EFAULT;
    policy = area.policy;
  } else if (r.addr !== 0) {
    return -Errno.EINVAL;
  }
  if (!(flags & MPOL_F_NODE)) return { word: policyWord(policy), nodes: policyNodes(policy) };
  if (flags & MPOL_F_ADDR) {
    // lookup_node faults the page in and names its node.
    if (mm.translate(r.addr, false) === null) return -Errno.EFAULT;
    return { word: 0, nodes: policyNodes(policy) };
  }
  const mode = policy?.mode;
  if (mode !== MPOL_INTERLEAVE && mode !== MPOL_WEIGHTED_INTERLEAVE) return -Errno.EINVAL;
  return { word: 0, nodes: policyNodes(policy) };
}

/** get_mempolicy(2): the mode (or node) to *policy, the nodemask to nmask (at most one long of it). */
export function getMempolicy(t: Task, r: GetMempolicyRequest): number {
  if (r.nmask !== 0 && r.maxnode < 1n) return -Errno.EINVAL;
  const found = lookupPolicy(t, r);
  if (typeof found === 'number') return found;
  const mm = t.process.mm;
  if (r.policyAddr !== 0 && !mm.write(r.policyAddr, new Uint8Array(new Int32Array([found.word]).buffer))) return -Errno.EFAULT;
  if (r.nmask === 0) return 0;
  // copy_nodes_to_user: ALIGN(maxnode - 1, 64) bits, of which one long is nodes, the rest cleared.
  const copy = ((BigInt.asUintN(64, r.maxnode - 1n) + 63n) & ~63n) / 8n;
  if (copy > PAGE) return -Errno.EINVAL;
  if (copy === 0n) return 0;
  const out = new Uint8Array(Number(copy));
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, found.nodes), true);
  return mm.write(r.nmask, out) ? 0 : -Errno.EFAULT;
}

/** The page-aligned range [start, end) of a range call: -EINVAL unaligned or wrapping, null when empty. */
function pageRange(start: bigint, len: bigint): { start: number; end: number } | null | number {
  if (start % PAGE !== 0n) return -Errno.EINVAL;
  const end = BigInt.asUintN(64, start + BigInt.asUintN(64, (len + PAGE - 1n) & ~(PAGE - 1n)));
  if (end < start) return -Errno.EINVAL;
  if (end === start) return null;
  return { start: Number(start), end: Number(end) };
}

/** One mbind(2) call. */
export interface MbindRequest {
  start: bigint;
  len: bigint;
  mode: number;
  nmask: number;
  maxnode: bigint;
  flags: number;
}

/** mbind(2): the policy of every area in the range (split at its ends); EFAULT for a hole. */
export function mbind(t: Task, r: MbindRequest): number {
  const mm = t.process.mm;
  const args = policyFromArgs(mm, r.mode, r.nmask, r.maxnode);
  if (typeof args === 'number') return args;
  if (r.flags & ~(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -Errno.EINVAL;
  if (r.flags & MPOL_MF_MOVE_ALL && !hasCapability(t, CAP_SYS_NICE)) return -Errno.EPERM;
  const range = pageRange(r.start, r.len);
  if (range === null || typeof range === 'number') return range ?? 0;
  const policy = newPolicy(args.mode, args.flags, args.nodes);
  if (typeof policy === 'number') return policy;
  if (!mm.areas.covers(range.start, range.end)) return -Errno.EFAULT;
  mm.areas.splitAt(range.start);
  mm.areas.splitAt(range.end);
  for (const a of mm.areas.overlapping(range.start, range.end)) a.policy = policy;
  mm.areas.mergeAround(range.start, range.end);
  mm.changed();
  return 0;
}

/**
 * set_mempolicy_home_node(2): node 0 is the only online node and already every policy's
 * home, so the call checks its arguments and the areas' policies (bind or preferred-many
 * only) and changes nothing.
 */
export function setHomeNode(t: Task, start: bigint, len: bigint, node: bigint, flags: bigint): number {
  if (start % PAGE !== 0n || flags !== 0n) return -Errno.EINVAL;
  if (node >= BigInt(MAX_NUMNODES) || node !== 0n) return -Errno.EINVAL;
  const range = pageRange(start, len);
  if (range === null || typeof range === 'number') return range ?? 0;
  for (const a of t.process.mm.areas.overlapping(range.start, range.end)) {
    const mode = a.policy?.mode ?? MPOL_DEFAULT;
    if (mode !== MPOL_DEFAULT && mode !== MPOL_BIND && mode !== MPOL_PREFERRED_MANY) return -Errno.EOPNOTSUPP;
  }
  return 0;
}
