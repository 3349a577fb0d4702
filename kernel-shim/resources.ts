// Resource limits (prlimit64, getrlimit, setrlimit) and the usage and system figures the
// guest can ask for: getrusage, times, sysinfo, uname.
import type { Rlimit } from './abi/rlimit.js';
import type { Rusage } from './abi/rusage.js';
import type { SysinfoValue } from './abi/sysinfo.js';
import { nsToTimeval } from './abi/time.js';
import type { Tms } from './abi/tms.js';
import type { Utsname } from './abi/utsname.js';
import { CLOCK_PROCESS_CPUTIME_ID } from './clock.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { PAGE_SIZE } from './mm/constants.js';
import { RLIMIT_NOFILE, RLIM_NLIMITS } from './process.js';
import { kernelRelease, kernelVersion, nodeName } from './procinfo.js';
import type { Task } from './task.js';

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
const CLK_TCK = 100n;
/** The kernel's NR_OPEN: RLIMIT_NOFILE above it still leaves the fd table this size. */
const NR_OPEN = 1048576n;

/**
 * prlimit64(pid, resource, next) for the caller: `publishOld` stores the previous limit for
 * the caller (-EFAULT when it cannot, and then nothing changes); next, when given, replaces
 * it (an errno when it could not be read).
 */
export function prlimit(
  k: Kernel, caller: Task, pid: number, resource: number, next: Rlimit | number | undefined, publishOld: ((old: Rlimit) => number) | undefined,
): number {
  const p = pid === 0 ? caller.process : k.processes.get(pid);
  if (p === undefined) return -Errno.ESRCH;
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  if (typeof next === 'number') return next;
  if (next !== undefined) {
    if (next.cur > next.max) return -Errno.EINVAL;
    if (next.max > p.rlimits[resource].max) return -Errno.EPERM;
  }
  if (publishOld !== undefined) {
    const r = publishOld(p.rlimits[resource]);
    if (r < 0) return r;
  }
  if (next !== undefined) {
    p.rlimits[resource] = next;
    if (resource === RLIMIT_NOFILE) p.fds.limit = Number(next.cur > NR_OPEN ? NR_OPEN : next.cur);
  }
  return 0;
}

/** CPU time: all of it user time, as the emulated CPU runs only user code. */
function cpuTimes(k: Kernel): { user: bigint; system: bigint } {
  const ns = k.clock.now(CLOCK_PROCESS_CPUTIME_ID) ?? 0n;
  return { user: ns, system: 0n };
}

/** getrusage(who): times, maxrss and minor faults of the caller (children report nothing), or EINVAL. */
export function resourceUsage(k: Kernel, t: Task, who: number): Rusage | number {
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -Errno.EINVAL;
  const times = who === RUSAGE_CHILDREN ? { user: 0n, system: 0n } : cpuTimes(k);
  const maxrssKb = who === RUSAGE_CHILDREN ? 0n : BigInt((t.process.mm.residentPages() * PAGE_SIZE) / 1024);
  return { utime: nsToTimeval(times.user), stime: nsToTimeval(times.system), maxrss: maxrssKb, minflt: BigInt(k.stats.mm.pgfault) };
}

const ticks = (ns: bigint): bigint => (ns * CLK_TCK) / 1_000_000_000n;

/** times(): the process's CPU times in clock ticks, and the ticks since boot (the result). */
export function processTimes(k: Kernel): { tms: Tms; uptime: bigint } {
  const times = cpuTimes(k);
  return { tms: { utime: ticks(times.user), stime: ticks(times.system), cutime: 0n, cstime: 0n }, uptime: ticks(k.clock.uptime()) };
}

/** sysinfo(): uptime, guest RAM and its free frames, the number of processes. */
export function systemInfo(k: Kernel): SysinfoValue {
  return {
    uptime: k.clock.uptime() / 1_000_000_000n,
    loads: [0n, 0n, 0n],
    totalram: BigInt(k.memory.size),
    freeram: BigInt((k.frames.frameCount - k.frames.inUse) * PAGE_SIZE),
    sharedram: 0n, bufferram: 0n, totalswap: 0n, freeswap: 0n,
    procs: k.processes.size,
    totalhigh: 0n, freehigh: 0n, memUnit: 1,
  };
}

/** uname(): the system the guest sees. */
export function systemName(k: Kernel): Utsname {
  return { sysname: 'Linux', nodename: nodeName(k), release: kernelRelease(k), version: kernelVersion(k), machine: 'x86_64', domainname: '(none)' };
}
