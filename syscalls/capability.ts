// capget/capset: the v1 (32-bit), v2 and v3 (64-bit) headers; an unknown version gets the
// preferred one written back with EINVAL. The sets are per task (kernel-shim/capabilities.ts).
import type { CapabilitySets } from '../kernel-shim/capabilities.js';
import { capabilitiesFor, changeCapabilities } from '../kernel-shim/capability-calls.js';
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const VERSION_1 = 0x19980330, VERSION_2 = 0x20071026, VERSION_3 = 0x20080522;
/** struct __user_cap_data_struct: effective, permitted, inheritable (u32 each). */
const DATA_SIZE = 12;

/** The number of 32-bit data structs the header's version uses, or an errno (cap_validate_magic). */
function validateVersion(t: Task, header: number): number {
  const version = t.process.mm.readU32(header);
  if (version === null) return -Errno.EFAULT;
  if (version === VERSION_1) return 1;
  if (version === VERSION_2 || version === VERSION_3) return 2;
  return t.process.mm.writeU32(header, VERSION_3) ? -Errno.EINVAL : -Errno.EFAULT;
}

function capget(k: Kernel, t: Task, a: SyscallFrame): number {
  const words = validateVersion(t, a.arg(0));
  const data = a.arg(1);
  // A NULL data pointer probes the version: success even when it was rewritten.
  if (data === 0) return words === -Errno.EINVAL ? 0 : Math.min(words, 0);
  if (words < 0) return words;
  const pid = t.process.mm.readU32(a.arg(0) + 4);
  if (pid === null) return -Errno.EFAULT;
  const caps = capabilitiesFor(k, t, pid | 0);
  if (typeof caps === 'number') return caps;
  const out = new DataView(new ArrayBuffer(DATA_SIZE * words));
  for (let i = 0; i < words; i++) {
    const shift = BigInt(32 * i);
    out.setUint32(i * DATA_SIZE, Number((caps.effective >> shift) & 0xffffffffn), true);
    out.setUint32(i * DATA_SIZE + 4, Number((caps.permitted >> shift) & 0xffffffffn), true);
    out.setUint32(i * DATA_SIZE + 8, Number((caps.inheritable >> shift) & 0xffffffffn), true);
  }
  return t.process.mm.write(data, new Uint8Array(out.buffer)) ? 0 : -Errno.EFAULT;
}

function capset(_k: Kernel, t: Task, a: SyscallFrame): number {
  const words = validateVersion(t, a.arg(0));
  if (words < 0) return words;
  const pid = t.process.mm.readU32(a.arg(0) + 4);
  if (pid === null) return -Errno.EFAULT;
  const raw = t.process.mm.read(a.arg(1), DATA_SIZE * words);
  if (raw === null) return changeCapabilities(t, pid, -Errno.EFAULT);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const set = (offset: number): bigint => {
    let v = 0n;
    for (let i = 0; i < words; i++) v |= BigInt(view.getUint32(i * DATA_SIZE + offset, true)) << BigInt(32 * i);
    return v;
  };
  const next: Omit<CapabilitySets, 'bounding'> = { effective: set(0), permitted: set(4), inheritable: set(8) };
  return changeCapabilities(t, pid, next);
}

const NOTE = "the guest starts with ushim's own sets; capset may only drop them; execve does not recompute them";

export const capabilitySyscalls: SyscallDef[] = [
  { name: 'capget', args: ['cap_header', 'cap_data_out'], result: 'dec', support: 'full', handler: capget },
  { name: 'capset', args: ['cap_header', 'cap_data'], result: 'dec', support: 'partial', note: NOTE, handler: capset },
];
