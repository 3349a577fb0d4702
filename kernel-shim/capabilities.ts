// Capability sets (capget/capset). The guest starts with the ushim process's own sets, as it
// runs with its uid and groups (credentials.ts); capset may only drop, per Linux's cap_capset.
import { readFileSync } from 'node:fs';
import { Errno } from './errno.js';
import type { Task } from './task.js';

export interface CapabilitySets {
  readonly effective: bigint;
  readonly permitted: bigint;
  readonly inheritable: bigint;
  readonly bounding: bigint;
}

export const CAP_SETPCAP = 8, CAP_SYS_CHROOT = 18, CAP_SYS_ADMIN = 21, CAP_SYS_NICE = 23;

function hostCapabilities(): CapabilitySets {
  const field = (status: string, name: string): bigint => {
    const line = status.split('\n').find((l) => l.startsWith(`${name}:`));
    return line === undefined ? 0n : BigInt(`0x${line.slice(name.length + 1).trim()}`);
  };
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // No procfs on the host: the guest has no capabilities.
  }
  return { effective: field(status, 'CapEff'), permitted: field(status, 'CapPrm'), inheritable: field(status, 'CapInh'), bounding: field(status, 'CapBnd') };
}

export function capabilitiesOf(t: Task): CapabilitySets {
  t.caps ??= hostCapabilities();
  return t.caps;
}

/** capable(): whether the task has capability `cap` in its effective set. */
export function hasCapability(t: Task, cap: number): boolean {
  return ((capabilitiesOf(t).effective >> BigInt(cap)) & 1n) === 1n;
}

const subset = (a: bigint, b: bigint): boolean => (a & ~b) === 0n;

/** cap_capset: every set may only shrink (inheritable within permitted unless CAP_SETPCAP). */
export function setCapabilities(t: Task, next: Omit<CapabilitySets, 'bounding'>): number {
  const old = capabilitiesOf(t);
  const setpcap = (old.effective >> BigInt(CAP_SETPCAP)) & 1n;
  if (!setpcap && !subset(next.inheritable, old.inheritable | old.permitted)) return -Errno.EPERM;
  if (!subset(next.inheritable, old.inheritable | old.bounding)) return -Errno.EPERM;
  if (!subset(next.permitted, old.permitted)) return -Errno.EPERM;
  if (!subset(next.effective, next.permitted)) return -Errno.EPERM;
  t.caps = { ...next, bounding: old.bounding };
  return 0;
}
