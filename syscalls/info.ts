// System information, resource limits and usage, and randomness.
import { Errno } from '../kernel-shim/errno.js';
import { encodeUtsname, UTSNAME_SIZE } from '../kernel-shim/abi/utsname.js';
import { encodeSysinfo, SYSINFO_SIZE } from '../kernel-shim/abi/sysinfo.js';
import { encodeRlimit, decodeRlimit, RLIMIT_SIZE } from '../kernel-shim/abi/rlimit.js';
import { encodeRusage, RUSAGE_SIZE } from '../kernel-shim/abi/rusage.js';
import { encodeTms, TMS_SIZE } from '../kernel-shim/abi/tms.js';
import { nsToTimeval } from '../kernel-shim/abi/time.js';
import { kernelRelease, kernelVersion, nodeName } from '../kernel-shim/procinfo.js';
import { RLIMIT_NOFILE, RLIM_NLIMITS } from '../kernel-shim/process.js';
import type { Task } from '../kernel-shim/task.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { PAGE_SIZE } from '../kernel-shim/mm/constants.js';
import { CLOCK_PROCESS_CPUTIME_ID } from '../kernel-shim/clock.js';
import { syslogArgs } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
const CLK_TCK = 100n;

function writeStruct(t: Task, addr: number, size: number, fill: (dv: DataView) => void): number {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}

function prlimit(k: Kernel, t: Task, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  const p = pid === 0 ? t.process : k.processes.get(pid);
  if (p === undefined) return -Errno.ESRCH;
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  let next;
  if (newAddr !== 0) {
    const raw = t.process.mm.read(newAddr, RLIMIT_SIZE);
    if (raw === null) return -Errno.EFAULT;
    next = decodeRlimit(new DataView(raw.buffer), 0);
    if (next.cur > next.max) return -Errno.EINVAL;
    if (next.max > p.rlimits[resource].max) return -Errno.EPERM;
  }
  if (oldAddr !== 0) {
    const r = writeStruct(t, oldAddr, RLIMIT_SIZE, (dv) => encodeRlimit(dv, 0, p.rlimits[resource]));
    if (r < 0) return r;
  }
  if (next !== undefined) {
    p.rlimits[resource] = next;
    if (resource === RLIMIT_NOFILE) p.fds.limit = Number(next.cur > 1048576n ? 1048576n : next.cur);
  }
  return 0;
}

function cpuTimes(k: Kernel): { user: bigint; system: bigint } {
  const ns = k.clock.now(CLOCK_PROCESS_CPUTIME_ID) ?? 0n;
  return { user: ns, system: 0n };
}

export const infoSyscalls: SyscallDef[] = [
  {
    name: 'uname', args: ['utsname_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => writeStruct(t, a.arg(0), UTSNAME_SIZE, (dv) => encodeUtsname(dv, 0, {
      sysname: 'Linux', nodename: nodeName(k), release: kernelRelease(k), version: kernelVersion(k), machine: 'x86_64', domainname: '(none)',
    })),
  },
  {
    name: 'sysinfo', args: ['sysinfo_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => writeStruct(t, a.arg(0), SYSINFO_SIZE, (dv) => encodeSysinfo(dv, 0, {
      uptime: k.clock.uptime() / 1_000_000_000n,
      loads: [0n, 0n, 0n],
      totalram: BigInt(k.memory.size),
      freeram: BigInt((k.frames.frameCount - k.frames.inUse) * PAGE_SIZE),
      sharedram: 0n, bufferram: 0n, totalswap: 0n, freeswap: 0n,
      procs: k.processes.size,
      totalhigh: 0n, freehigh: 0n, memUnit: 1,
    })),
  },
  {
    name: 'getrlimit', args: ['rlimit_resource', 'rlimit_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimit(k, t, 0, a.int(0), 0, a.arg(1)),
  },
  {
    name: 'setrlimit', args: ['rlimit_resource', 'rlimit'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimit(k, t, 0, a.int(0), a.arg(1), 0),
  },
  {
    name: 'prlimit64', args: ['int', 'rlimit_resource', 'rlimit', 'rlimit_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => prlimit(k, t, a.int(0), a.int(1), a.arg(2), a.arg(3)),
  },
  {
    name: 'getrusage', args: ['rusage_who', 'rusage_out'], result: 'dec', support: 'partial', note: 'times and maxrss; other counters 0',
    handler: (k, t, a) => {
      const who = a.int(0);
      if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -Errno.EINVAL;
      const times = who === RUSAGE_CHILDREN ? { user: 0n, system: 0n } : cpuTimes(k);
      const maxrssKb = who === RUSAGE_CHILDREN ? 0n : BigInt((t.process.mm.residentPages() * PAGE_SIZE) / 1024);
      return writeStruct(t, a.arg(1), RUSAGE_SIZE, (dv) => encodeRusage(dv, 0, {
        utime: nsToTimeval(times.user), stime: nsToTimeval(times.system), maxrss: maxrssKb, minflt: BigInt(k.stats.mm.pgfault),
      }));
    },
  },
  {
    name: 'times', args: ['tms_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const times = cpuTimes(k);
      const ticks = (ns: bigint): bigint => (ns * CLK_TCK) / 1_000_000_000n;
      if (a.arg(0) !== 0) {
        const r = writeStruct(t, a.arg(0), TMS_SIZE, (dv) => encodeTms(dv, 0, { utime: ticks(times.user), stime: ticks(times.system), cutime: 0n, cstime: 0n }));
        if (r < 0) return r;
      }
      return ticks(k.clock.uptime());
    },
  },
  {
    name: 'getrandom', args: ['buf_out_hex', 'uint', 'getrandom_flags'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const flags = a.int(2);
      if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) || (flags & GRND_RANDOM && flags & GRND_INSECURE)) return -Errno.EINVAL;
      const n = Math.min(a.arg(1), 0x1ffffff);
      return t.process.mm.write(a.arg(0), k.random.bytes(n)) ? n : -Errno.EFAULT;
    },
  },
  { name: 'syslog', args: syslogArgs, result: 'dec', support: 'partial', note: 'no kernel log: EPERM, as for an unprivileged process', handler: () => -Errno.EPERM },
];
