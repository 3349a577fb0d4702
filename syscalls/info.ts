// System information, resource limits and usage, and randomness: the figures come from
// kernel-shim/resources.ts and the RandomSource; here they are decoded and encoded.
import { Errno } from '../kernel-shim/errno.js';
import { encodeUtsname, UTSNAME_SIZE } from '../kernel-shim/abi/utsname.js';
import { encodeSysinfo, SYSINFO_SIZE } from '../kernel-shim/abi/sysinfo.js';
import { encodeRlimit, decodeRlimit, RLIMIT_SIZE, type Rlimit } from '../kernel-shim/abi/rlimit.js';
import { encodeRusage, RUSAGE_SIZE } from '../kernel-shim/abi/rusage.js';
import { encodeTms, TMS_SIZE } from '../kernel-shim/abi/tms.js';
import { prlimit, processTimes, resourceUsage, systemInfo, systemName } from '../kernel-shim/resources.js';
import type { Task } from '../kernel-shim/task.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { syslogArgs } from './argkinds-by-value.js';
import { userPrefix } from '../kernel-shim/mm/uaccess.js';
import type { SyscallDef } from './types.js';

function writeStruct(t: Task, addr: number, size: number, fill: (dv: DataView) => void): number {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}

/** The struct rlimit at addr; with `required` (setrlimit), NULL is a bad address too. */
function readRlimit(t: Task, addr: number, required: boolean): Rlimit | number | undefined {
  if (addr === 0 && !required) return undefined;
  const raw = t.process.mm.read(addr, RLIMIT_SIZE);
  return raw === null ? -Errno.EFAULT : decodeRlimit(new DataView(raw.buffer), 0);
}

function publishTo(t: Task, addr: number): (old: Rlimit) => number {
  return (old) => writeStruct(t, addr, RLIMIT_SIZE, (dv) => encodeRlimit(dv, 0, old));
}

/** prlimit64: NULL for either pointer means "not this direction". */
function prlimitCall(k: Kernel, t: Task, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  return prlimit(k, t, pid, resource, readRlimit(t, newAddr, false), oldAddr === 0 ? undefined : publishTo(t, oldAddr));
}

export const infoSyscalls: SyscallDef[] = [
  {
    name: 'uname', args: ['utsname_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => writeStruct(t, a.arg(0), UTSNAME_SIZE, (dv) => encodeUtsname(dv, 0, systemName(k))),
  },
  {
    name: 'sysinfo', args: ['sysinfo_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => writeStruct(t, a.arg(0), SYSINFO_SIZE, (dv) => encodeSysinfo(dv, 0, systemInfo(k))),
  },
  {
    name: 'getrlimit', args: ['rlimit_resource', 'rlimit_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimit(k, t, 0, a.int(0), undefined, publishTo(t, a.arg(1))),
  },
  {
    name: 'setrlimit', args: ['rlimit_resource', 'rlimit'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimit(k, t, 0, a.int(0), readRlimit(t, a.arg(1), true), undefined),
  },
  {
    name: 'prlimit64', args: ['int', 'rlimit_resource', 'rlimit', 'rlimit_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimitCall(k, t, a.int(0), a.int(1), a.arg(2), a.arg(3)),
  },
  {
    name: 'getrusage', args: ['rusage_who', 'rusage_out'], result: 'dec', support: 'partial', note: 'times and maxrss; other counters 0',
    handler: (k, t, a) => {
      const usage = resourceUsage(k, t, a.int(0));
      return typeof usage === 'number' ? usage : writeStruct(t, a.arg(1), RUSAGE_SIZE, (dv) => encodeRusage(dv, 0, usage));
    },
  },
  {
    name: 'times', args: ['tms_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const times = processTimes(k);
      if (a.arg(0) !== 0) {
        const r = writeStruct(t, a.arg(0), TMS_SIZE, (dv) => encodeTms(dv, 0, times.tms));
        if (r < 0) return r;
      }
      return times.uptime;
    },
  },
  {
    name: 'getrandom', args: ['buf_out_hex', 'uint', 'getrandom_flags'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const bytes = k.random.getrandom(a.arg(1), a.int(2));
      if (typeof bytes === 'number') return bytes;
      // Linux copies out chunk by chunk: what lands before a bad page is the count.
      const landed = bytes.length === 0 ? 0 : userPrefix(t.process.mm, a.arg(0), bytes.length, true);
      if (bytes.length > 0 && landed === 0) return -Errno.EFAULT;
      return t.process.mm.write(a.arg(0), bytes.subarray(0, landed)) ? landed : -Errno.EFAULT;
    },
  },
  { name: 'syslog', args: syslogArgs, result: 'dec', support: 'partial', note: 'no kernel log: EPERM, as for an unprivileged process', handler: () => -Errno.EPERM },
];
