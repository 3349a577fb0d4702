// NUMA memory policies as Linux (CONFIG_NUMA, MAX_NUMNODES 1024) keeps them on a machine with
// one node, node 0: a task's policy (set_mempolicy) and an area's (mbind), validated and
// reported as mm/mempolicy.c does. Every page lives on node 0 whatever the policy says.
import { Errno } from '../errno.js';
import type { AddressSpace } from './addrspace.js';

export const MPOL_DEFAULT = 0, MPOL_PREFERRED = 1, MPOL_BIND = 2, MPOL_INTERLEAVE = 3, MPOL_LOCAL = 4,
  MPOL_PREFERRED_MANY = 5, MPOL_WEIGHTED_INTERLEAVE = 6, MPOL_MAX = 7;
export const MPOL_F_NUMA_BALANCING = 1 << 13, MPOL_F_RELATIVE_NODES = 1 << 14, MPOL_F_STATIC_NODES = 1 << 15;
const MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
export const MAX_NUMNODES = 1024;
/** The nodes with memory: node 0 alone. */
const ONLINE_NODES = 1n;
const BITS_PER_PAGE = 4096 * 8;

/** A policy other than the default (which is no policy at all: undefined). */
export interface MemPolicy {
  readonly mode: number;
  /** The MPOL_F_* mode flags the caller gave. */
  readonly flags: number;
  /** The nodes in effect (a subset of node 0). */
  readonly nodes: bigint;
  /** The nodes as the caller gave them, kept with MPOL_F_STATIC_NODES or MPOL_F_RELATIVE_NODES. */
  readonly userNodes: bigint;
}

export function samePolicy(a: MemPolicy | undefined, b: MemPolicy | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.mode === b.mode && a.flags === b.flags && a.nodes === b.nodes && a.userNodes === b.userNodes;
}

/** sanitize_mpol_flags: the mode and its flags apart, or -EINVAL. */
export function splitMode(modeArg: number): { mode: number; flags: number } | number {
  const flags = modeArg & MPOL_MODE_FLAGS;
  const mode = (modeArg & ~MPOL_MODE_FLAGS) >>> 0;
  if (mode >= MPOL_MAX) return -Errno.EINVAL;
  if (flags & MPOL_F_STATIC_NODES && flags & MPOL_F_RELATIVE_NODES) return -Errno.EINVAL;
  if (flags & MPOL_F_NUMA_BALANCING && mode !== MPOL_BIND && mode !== MPOL_PREFERRED_MANY) return -Errno.EINVAL;
  return { mode, flags };
}

/**
 * get_nodes: the nodemask of maxnode - 1 bits at addr (none for a NULL pointer or
 * maxnode <= 1), -EINVAL past a page of bits or with a node at or above MAX_NUMNODES set,
 * -EFAULT when unreadable.
 */
export function readNodemask(mm: AddressSpace, addr: number, maxnodeArg: bigint): bigint | number {
  const maxnode = BigInt.asUintN(64, maxnodeArg - 1n);
  if (maxnode === 0n || addr === 0) return 0n;
  if (maxnode > BigInt(BITS_PER_PAGE)) return -Errno.EINVAL;
  const bits = Number(maxnode);
  const raw = mm.read(addr, Math.ceil(bits / 64) * 8);
  if (raw === null) return -Errno.EFAULT;
  let mask = 0n;
  for (let i = raw.length - 1; i >= 0; i--) mask = (mask << 8n) | BigInt(raw[i]);
  mask &= (1n << maxnode) - 1n;
  if (mask >> BigInt(MAX_NUMNODES) !== 0n) return -Errno.EINVAL;
  return mask;
}

/** mpol_new and mpol_set_nodemask: the policy `mode` with `userNodes`, undefined for the default, or -EINVAL. */
export function newPolicy(mode: number, flags: number, userNodes: bigint): MemPolicy | undefined | number {
  const pinned = (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) !== 0;
  if (mode === MPOL_DEFAULT) return userNodes === 0n ? undefined : -Errno.EINVAL;
  if (mode === MPOL_PREFERRED && userNodes === 0n) {
    if (pinned) return -Errno.EINVAL;
    return { mode: MPOL_LOCAL, flags, nodes: 0n, userNodes: 0n };
  }
  if (mode === MPOL_LOCAL) return userNodes !== 0n || pinned ? -Errno.EINVAL : { mode, flags, nodes: 0n, userNodes: 0n };
  if (userNodes === 0n) return -Errno.EINVAL;
  // Relative nodes fold onto the allowed ones: any node given means node 0.
  const nodes = flags & MPOL_F_RELATIVE_NODES ? ONLINE_NODES : userNodes & ONLINE_NODES;
  if (nodes === 0n) return -Errno.EINVAL;
  return { mode, flags, nodes, userNodes: pinned ? userNodes : 0n };
}

/** get_mempolicy's mode word for a policy. */
export function policyWord(p: MemPolicy | undefined): number {
  return p === undefined ? MPOL_DEFAULT : p.mode | p.flags;
}

/** get_mempolicy's nodemask for a policy: the caller's nodes when pinned, else those in effect. */
export function policyNodes(p: MemPolicy | undefined): bigint {
  if (p === undefined) return 0n;
  return p.flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES) ? p.userNodes : p.nodes;
}

/** The mode and nodes a set_mempolicy or mbind call names, read and checked in Linux's order. */
export function policyFromArgs(mm: AddressSpace, modeArg: number, nmask: number, maxnode: bigint): { mode: number; flags: number; nodes: bigint } | number {
  const split = splitMode(modeArg);
  if (typeof split === 'number') return split;
  const nodes = readNodemask(mm, nmask, maxnode);
  if (typeof nodes === 'number') return nodes;
  return { ...split, nodes };
}
