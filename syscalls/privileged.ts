// The privileged calls, answered as for a process without capabilities in the initial user
// namespace (kernel-shim/privileged.ts), and adjtimex/clock_adjtime (kernel-shim/adjtimex.ts).
import { adjtimex, clockAdjtime } from '../kernel-shim/adjtimex.js';
import {
  fsconfigCall, mountCall, mountSetattrCall, refused, swaponCall, umountCall,
} from '../kernel-shim/privileged.js';
import { Errno } from '../kernel-shim/errno.js';
import type { Task } from '../kernel-shim/task.js';
import { readPath } from './guest.js';
import type { SyscallDef } from './types.js';

const NO_CAP = 'EPERM after the argument checks Linux makes first: no capability in the initial user namespace, as in an unprivileged container';
const NO_CAP_FIRST = 'EPERM: no capability in the initial user namespace (checked first), as in an unprivileged container';

/** An optional string argument (mount's type, source): null for NULL, EFAULT when unreadable. */
function optionalString(t: Task, addr: number): string | number | null {
  return addr === 0 ? null : readPath(t, addr);
}

/** mount's data page (copy_mount_options): null for NULL, EFAULT when not even its first byte is readable. */
function optionalData(t: Task, addr: number): string | number | null {
  if (addr === 0) return null;
  return t.process.mm.read(addr, 1) === null ? -Errno.EFAULT : '';
}

const firstRefusal = (name: string, args: SyscallDef['args'], note = NO_CAP_FIRST): SyscallDef => ({
  name, args, result: 'dec', support: 'partial', note, handler: () => refused(),
});

export const privilegedSyscalls: SyscallDef[] = [
  {
    name: 'mount', args: ['string', 'path', 'string', 'hex', 'ptr'], result: 'dec', support: 'partial', note: NO_CAP,
    handler: (_k, t, a) => mountCall(t.process, optionalString(t, a.arg(2)), optionalString(t, a.arg(0)),
      optionalData(t, a.arg(4)), readPath(t, a.arg(1)), a.int(3)),
  },
  { name: 'umount2', args: ['path', 'hex'], result: 'dec', support: 'partial', note: NO_CAP, handler: (_k, t, a) => umountCall(t.process, readPath(t, a.arg(0)), a.int(1)) },
  firstRefusal('pivot_root', ['path', 'path']),
  { name: 'swapon', args: ['path', 'hex'], result: 'dec', support: 'partial', note: NO_CAP, handler: (_k, _t, a) => swaponCall(a.int(1)) },
  firstRefusal('swapoff', ['path']),
  firstRefusal('reboot', ['hex', 'hex', 'hex', 'ptr']),
  firstRefusal('sethostname', ['string', 'int']),
  firstRefusal('setdomainname', ['string', 'int']),
  firstRefusal('init_module', ['ptr', 'uint', 'string']),
  firstRefusal('finit_module', ['fd', 'string', 'hex']),
  firstRefusal('delete_module', ['string', 'hex']),
  firstRefusal('kexec_load', ['hex', 'uint', 'ptr', 'hex']),
  firstRefusal('kexec_file_load', ['fd', 'fd', 'uint', 'string', 'hex']),
  firstRefusal('acct', ['path']),
  firstRefusal('vhangup', []),
  firstRefusal('move_mount', ['fd', 'path', 'fd', 'path', 'hex']),
  firstRefusal('fsopen', ['string', 'hex']),
  firstRefusal('fsmount', ['fd', 'hex', 'hex']),
  firstRefusal('fspick', ['fd', 'path', 'hex']),
  {
    name: 'fsconfig', args: ['fd', 'int', 'string', 'ptr', 'int'], result: 'dec', support: 'partial',
    note: 'no filesystem context can exist (fsopen and fspick are EPERM): EBADF or EINVAL after the argument checks',
    handler: (_k, t, a) => fsconfigCall(t.process, a.int(0), a.int(1), a.arg(2) !== 0, a.arg(3) !== 0, a.int(4)),
  },
  {
    name: 'mount_setattr', args: ['fd', 'path', 'hex', 'ptr', 'uint'], result: 'dec', support: 'partial', note: NO_CAP,
    handler: (_k, _t, a) => mountSetattrCall(a.int(2), a.arg(4)),
  },
  {
    name: 'adjtimex', args: ['ptr'], result: 'dec', support: 'partial', note: "reading gives the host's clock state; changing it is EPERM (no CAP_SYS_TIME)",
    handler: (_k, t, a) => adjtimex(t, a.arg(0)),
  },
  {
    name: 'clock_adjtime', args: ['clock_id', 'ptr'], result: 'dec', support: 'partial', note: "CLOCK_REALTIME as adjtimex; other clocks EOPNOTSUPP",
    handler: (_k, t, a) => clockAdjtime(t, a.int(0), a.arg(1)),
  },
];
