// What /proc shows about ushim's processes: the kernel side of procfs's ProcProvider.
import { cpus, hostname, release, version } from 'node:os';
import type { Kernel } from './kernel.js';
import { HPAGE_SIZE } from './mm/hugetlb-pool.js';
import type { ProcProvider } from './fs/procfs.js';
import type { OpenFile } from './fs/file.js';
import { baseDirPath } from './fs/dirref.js';
import type { Process } from './process.js';
import { PAGE_SIZE } from './mm/constants.js';
import { type SysvipcKind, sysvipcTable } from './ipc/ipc-proc.js';

const CLK_TCK = 100n;

export function kernelRelease(k: Kernel): string {
  return k.options.deterministic ? '6.12.0-ushim' : release();
}

export function kernelVersion(k: Kernel): string {
  return k.options.deterministic ? '#1 SMP PREEMPT_DYNAMIC ushim' : version();
}

export function nodeName(k: Kernel): string {
  return k.options.deterministic ? 'ushim' : hostname();
}

function hex16(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}

export class KernelProcInfo implements ProcProvider {
  constructor(private readonly k: Kernel) {}

  private proc(pid: number): Process | undefined {
    return this.k.processes.get(pid);
  }

  self(): number {
    return this.k.current?.process.pid ?? 0;
  }

  pids(): number[] {
    return [...this.k.processes.keys()].sort((a, b) => a - b);
  }

  exe(pid: number): string | undefined {
    return this.proc(pid)?.image?.exeGuestPath;
  }

  cwd(pid: number): string {
    return this.proc(pid)?.fs.cwd ?? '/';
  }

  root(pid: number): string {
    const root = this.proc(pid)?.fs.root.jail();
    return root === undefined ? '/' : baseDirPath(root);
  }

  seenPath(path: string): string {
    return this.k.current?.process.vfs.root.pathInside(path) ?? path;
  }

  cmdline(pid: number): Uint8Array {
    return this.proc(pid)?.image?.cmdline ?? new Uint8Array();
  }

  environ(pid: number): Uint8Array {
    return this.proc(pid)?.image?.environ ?? new Uint8Array();
  }

  auxv(pid: number): Uint8Array {
    return this.proc(pid)?.image?.auxv ?? new Uint8Array();
  }

  maps(pid: number): string {
    return this.proc(pid)?.mm.maps() ?? '';
  }

  stat(pid: number): string {
    const p = this.proc(pid);
    if (p === undefined) return '';
    const mm = p.mm;
    const vsize = mm.areas.items.reduce((n, a) => n + (a.end - a.start), 0);
    const start = (p.startTimeNs * CLK_TCK) / 1_000_000_000n; // ticks after boot, as the start time is
    const stack = mm.areas.items.find((a) => a.name === '[stack]');
    const fields = [
      p.pid, `(${p.comm})`, processState(p)[0], p.ppid, p.pgid, p.sid, 0, -1, 4194304, this.k.stats.mm.pgfault, 0, 0, 0, 0, 0, 0, 0, 20, 0,
      p.tasks.length, 0, start, vsize, mm.residentPages(), '18446744073709551615', 0, 0, stack?.end ?? 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, mm.brkStart, 0, 0, 0, 0, 0,
    ];
    return fields.join(' ') + '\n';
  }

  status(pid: number): string {
    const p = this.proc(pid);
    if (p === undefined) return '';
    const kb = (bytes: number): string => `${String(bytes / 1024).padStart(8)} kB`;
    const vm = p.mm.areas.items.reduce((n, a) => n + (a.end - a.start), 0);
    const rss = p.mm.residentPages() * PAGE_SIZE;
    const ids = (id: number): string => `${id}\t${id}\t${id}\t${id}`;
    const caught = p.sighand.actions.reduce((m, a, i) => (i > 0 && a.handler > 1n ? m | (1n << BigInt(i - 1)) : m), 0n);
    const ignored = p.sighand.actions.reduce((m, a, i) => (i > 0 && a.handler === 1n ? m | (1n << BigInt(i - 1)) : m), 0n);
    return [
      `Name:\t${p.comm}`, `Umask:\t${p.fs.umask.toString(8).padStart(4, '0')}`, `State:\t${processState(p)}`, `Tgid:\t${p.pid}`, 'Ngid:\t0',
      `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`, 'TracerPid:\t0', `Uid:\t${ids(p.uid)}`, `Gid:\t${ids(p.gid)}`, 'FDSize:\t64',
      `Groups:\t${p.gid}`, `VmPeak:\t${kb(vm)}`, `VmSize:\t${kb(vm)}`, 'VmLck:\t       0 kB', 'VmPin:\t       0 kB',
      `VmHWM:\t${kb(rss)}`, `VmRSS:\t${kb(rss)}`, `Threads:\t${p.tasks.length}`, 'SigQ:\t0/63704',
      `SigPnd:\t${hex16(0n)}`, `ShdPnd:\t${hex16(0n)}`, `SigBlk:\t${hex16(p.mainTask.signalMask)}`, `SigIgn:\t${hex16(ignored)}`,
      `SigCgt:\t${hex16(caught)}`, `CapInh:\t${hex16(0n)}`, `CapPrm:\t${hex16(0n)}`, `CapEff:\t${hex16(0n)}`,
      `CapBnd:\t${hex16(0x1ffffffffffn)}`, `CapAmb:\t${hex16(0n)}`, 'NoNewPrivs:\t0', 'Seccomp:\t0', 'Cpus_allowed:\t1',
      'Cpus_allowed_list:\t0', 'voluntary_ctxt_switches:\t0', 'nonvoluntary_ctxt_switches:\t0',
    ].join('\n') + '\n';
  }

  mounts(): string {
    return '/ / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n';
  }

  vmstat(): string {
    const s = this.k.stats.mm;
    const free = this.k.frames.frameCount - this.k.frames.inUse;
    return `nr_free_pages ${free}\npgfault ${s.pgfault}\npgmajfault 0\nspf_attempt ${s.spfAttempt}\nspf_abort ${s.spfAbort}\n`;
  }

  meminfo(): string {
    const totalKb = Math.floor(this.k.memory.size / 1024);
    const freeKb = totalKb - (this.k.frames.inUse * PAGE_SIZE) / 1024;
    const line = (name: string, kb: number): string => `${(name + ':').padEnd(16)}${String(kb).padStart(8)} kB`;
    const pool = this.k.hugePages;
    const count = (name: string, n: number): string => `${(name + ':').padEnd(19)}${String(n).padStart(5)}`;
    return [line('MemTotal', totalKb), line('MemFree', freeKb), line('MemAvailable', freeKb), line('Buffers', 0), line('Cached', 0),
      line('SwapTotal', 0), line('SwapFree', 0), count('HugePages_Total', pool.total), count('HugePages_Free', pool.free),
      count('HugePages_Rsvd', pool.reserved), count('HugePages_Surp', pool.surplus), line('Hugepagesize', HPAGE_SIZE / 1024),
      line('Hugetlb', (pool.total * HPAGE_SIZE) / 1024)].join('\n') + '\n';
  }

  nrHugepages(): number {
    return this.k.hugePages.persistent;
  }

  setNrHugepages(n: number): void {
    this.k.hugePages.resize(n);
  }

  cpuinfo(): string {
    const model = this.k.options.deterministic ? 'ushim virtual CPU' : cpus()[0]?.model ?? 'unknown';
    return [
      'processor\t: 0', 'vendor_id\t: GenuineIntel', 'cpu family\t: 6', 'model\t\t: 60', `model name\t: ${model}`,
      'stepping\t: 1', 'cpu MHz\t\t: 1000.000', 'cache size\t: 4096 KB', 'physical id\t: 0', 'siblings\t: 1', 'core id\t\t: 0',
      'cpu cores\t: 1', 'fpu\t\t: yes', 'cpuid level\t: 13', 'flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 sse4_2 popcnt',
      'bogomips\t: 2000.00', 'clflush size\t: 64', 'address sizes\t: 40 bits physical, 48 bits virtual', '', '',
    ].join('\n');
  }

  uptime(): string {
    const secs = Number(this.k.clock.uptime()) / 1e9;
    return `${secs.toFixed(2)} ${secs.toFixed(2)}\n`;
  }

  sysvipc(kind: SysvipcKind): string {
    return sysvipcTable(this.k, kind);
  }

  version(): string {
    return `Linux version ${kernelRelease(this.k)} (ushim) ${kernelVersion(this.k)}\n`;
  }

  comm(pid: number): string {
    return this.proc(pid)?.comm ?? '';
  }

  osrelease(): string {
    return kernelRelease(this.k);
  }

  hostname(): string {
    return nodeName(this.k);
  }

  fds(pid: number): number[] {
    return this.proc(pid)?.fds.list() ?? [];
  }

  fd(pid: number, fd: number): OpenFile | undefined {
    return this.proc(pid)?.fds.get(fd)?.file;
  }
}

/** The state letter and name /proc shows: a zombie, a stopped process, one whose threads all sleep, or running. */
function processState(p: Process): string {
  if (p.exited) return 'Z (zombie)';
  if (p.stopped) return 'T (stopped)';
  return p.liveTasks.every((t) => t.state === 'blocked') ? 'S (sleeping)' : 'R (running)';
}
