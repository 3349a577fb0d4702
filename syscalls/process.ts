// Process identity, exit, and per-thread set-up calls that libc makes at start-up.
import { Errno } from '../kernel-shim/errno.js';
import { archPrctlArgs, prctlArgs, prctlResult } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
const ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;
const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15,
  PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39,
  PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_VMA = 0x53564d41;
const USER_ADDRESS_LIMIT = 2 ** 47;

export const processSyscalls: SyscallDef[] = [
  { name: 'getpid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.pid },
  { name: 'getppid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.ppid },
  { name: 'gettid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.tid },
  { name: 'getuid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.uid },
  { name: 'geteuid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.uid },
  { name: 'getgid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.gid },
  { name: 'getegid', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.gid },
  {
    name: 'getresuid', args: ['uint_ptr_out', 'uint_ptr_out', 'uint_ptr_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => writeIds(t.process.mm, [a.arg(0), a.arg(1), a.arg(2)], t.process.uid),
  },
  {
    name: 'getresgid', args: ['uint_ptr_out', 'uint_ptr_out', 'uint_ptr_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => writeIds(t.process.mm, [a.arg(0), a.arg(1), a.arg(2)], t.process.gid),
  },
  {
    name: 'getgroups', args: ['int', 'gid_array_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const groups = t.process.groups;
      const size = a.int(0);
      if (size < 0) return -Errno.EINVAL;
      if (size === 0) return groups.length;
      if (size < groups.length) return -Errno.EINVAL;
      const buf = new Uint8Array(4 * groups.length);
      const dv = new DataView(buf.buffer);
      groups.forEach((g, i) => dv.setUint32(4 * i, g, true));
      return t.process.mm.write(a.arg(1), buf) ? groups.length : -Errno.EFAULT;
    },
  },
  ...['setuid', 'setgid', 'setfsuid', 'setfsgid'].map((name): SyscallDef => ({
    name, args: ['int'], result: 'dec', support: 'partial', note: 'only to the current id',
    handler: (_k, t, a) => {
      const id = name.includes('uid') ? t.process.uid : t.process.gid;
      if (name.startsWith('setfs')) return id;
      return a.int(0) === id ? 0 : -Errno.EPERM;
    },
  })),
  ...['setreuid', 'setregid', 'setresuid', 'setresgid'].map((name): SyscallDef => ({
    name, args: name.startsWith('setres') ? ['int', 'int', 'int'] : ['int', 'int'], result: 'dec', support: 'partial', note: 'only to the current ids',
    handler: (_k, t, a) => {
      const id = name.includes('uid') ? t.process.uid : t.process.gid;
      const n = name.startsWith('setres') ? 3 : 2;
      for (let i = 0; i < n; i++) if (a.int(i) !== -1 && a.int(i) !== id) return -Errno.EPERM;
      return 0;
    },
  })),
  { name: 'setgroups', args: ['int', { kind: 'gid_array', len: 0 }], result: 'dec', support: 'partial', handler: () => -Errno.EPERM, note: 'not privileged' },
  { name: 'getpgrp', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.pgid },
  {
    name: 'getpgid', args: ['int'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const pid = a.int(0);
      const p = pid === 0 ? t.process : k.processes.get(pid);
      return p === undefined ? -Errno.ESRCH : p.pgid;
    },
  },
  {
    name: 'getsid', args: ['int'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const pid = a.int(0);
      const p = pid === 0 ? t.process : k.processes.get(pid);
      return p === undefined ? -Errno.ESRCH : p.sid;
    },
  },
  {
    name: 'setpgid', args: ['int', 'int'], result: 'dec', support: 'partial', note: 'the target need not be the caller or its child, nor the group exist in its session',
    handler: (k, t, a) => {
      const pid = a.int(0) === 0 ? t.process.pid : a.int(0);
      const pgid = a.int(1) === 0 ? pid : a.int(1);
      if (a.int(1) < 0) return -Errno.EINVAL;
      const p = k.processes.get(pid);
      if (p === undefined) return -Errno.ESRCH;
      if (p.sid === p.pid) return -Errno.EPERM;
      p.pgid = pgid;
      return 0;
    },
  },
  {
    name: 'setsid', args: [], result: 'dec', support: 'full',
    handler: (_k, t) => {
      const p = t.process;
      if (p.pgid === p.pid) return -Errno.EPERM;
      p.sid = p.pgid = p.pid;
      return p.pid;
    },
  },
  {
    name: 'umask', args: ['mode'], result: 'octal', support: 'full',
    handler: (_k, t, a) => {
      const old = t.process.fs.umask;
      t.process.fs.umask = a.int(0) & 0o777;
      return old;
    },
  },
  {
    name: 'set_tid_address', args: ['ptr'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      t.clearChildTid = a.arg(0);
      return t.tid;
    },
  },
  {
    name: 'set_robust_list', args: ['ptr', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(1) !== 24) return -Errno.EINVAL;
      t.robustList = a.arg(0);
      t.robustListLength = 24;
      return 0;
    },
  },
  {
    name: 'get_robust_list', args: ['int', 'ptr_box_out', 'ulong_ptr_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const tid = a.int(0);
      const task = tid === 0 ? t : [...k.processes.values()].flatMap((p) => p.tasks).find((x) => x.tid === tid);
      if (task === undefined) return -Errno.ESRCH;
      const mm = t.process.mm;
      return mm.writeU64(a.arg(1), BigInt(task.robustList)) && mm.writeU64(a.arg(2), 24n) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'rseq', args: ['ptr', 'hex', 'hex', 'hex'], result: 'dec', support: 'none', handler: () => -Errno.ENOSYS, note: 'libc falls back' },
  {
    name: 'arch_prctl', args: archPrctlArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const engine = t.kernel.cpu;
      const mm = t.process.mm;
      switch (a.int(0)) {
        case ARCH_SET_FS:
        case ARCH_SET_GS:
          if (a.arg(1) >= USER_ADDRESS_LIMIT) return -Errno.EPERM;
          engine.writeRegister(a.int(0) === ARCH_SET_FS ? 'fs_base' : 'gs_base', a.argBig(1));
          return 0;
        case ARCH_GET_FS:
          return mm.writeU64(a.arg(1), engine.readRegister('fs_base')) ? 0 : -Errno.EFAULT;
        case ARCH_GET_GS:
          return mm.writeU64(a.arg(1), engine.readRegister('gs_base')) ? 0 : -Errno.EFAULT;
        case ARCH_GET_CPUID:
          return 1;
        case ARCH_SET_CPUID:
          return -Errno.ENODEV;
        default:
          return -Errno.EINVAL;
      }
    },
  },
  {
    name: 'prctl', args: prctlArgs, result: prctlResult, support: 'partial',
    note: 'names, dumpable, no_new_privs, pdeathsig, subreaper; PR_SET_VMA accepted and ignored',
    handler: (_k, t, a) => {
      const p = t.process;
      switch (a.int(0)) {
        case PR_SET_NAME: {
          const name = p.mm.readCString(a.arg(1), 4096);
          if (name === null) return -Errno.EFAULT;
          p.comm = Buffer.from(name.subarray(0, 15)).toString('latin1');
          return 0;
        }
        case PR_GET_NAME: {
          const out = new Uint8Array(16);
          out.set(Buffer.from(p.comm, 'latin1').subarray(0, 15));
          return p.mm.write(a.arg(1), out) ? 0 : -Errno.EFAULT;
        }
        case PR_GET_DUMPABLE: return 1;
        case PR_SET_DUMPABLE: return a.arg(1) <= 1 ? 0 : -Errno.EINVAL;
        case PR_SET_PDEATHSIG:
          if (a.arg(1) > 64) return -Errno.EINVAL;
          p.parentDeathSignal = a.arg(1);
          return 0;
        case PR_GET_PDEATHSIG: return p.mm.writeU32(a.arg(1), p.parentDeathSignal) ? 0 : -Errno.EFAULT;
        case PR_GET_SECCOMP: return 0;
        case PR_SET_NO_NEW_PRIVS: return 0;
        case PR_GET_NO_NEW_PRIVS: return 0;
        case PR_SET_CHILD_SUBREAPER:
          p.childSubreaper = a.arg(1) !== 0;
          return 0;
        case PR_GET_CHILD_SUBREAPER: return p.mm.writeU32(a.arg(1), p.childSubreaper ? 1 : 0) ? 0 : -Errno.EFAULT;
        case PR_SET_VMA: return 0;
        default: return -Errno.EINVAL;
      }
    },
  },
  { name: 'personality', args: ['personality'], result: 'personality', support: 'partial', note: 'PER_LINUX only; other personas are EINVAL', handler: (_k, _t, a) => (a.int(0) === -1 || a.int(0) === 0 ? 0 : -Errno.EINVAL) },
  {
    name: 'sched_yield', args: [], result: 'dec', support: 'full',
    handler: (_k, t) => {
      // End the slice: the task goes to the back of the run queue.
      t.kernel.cpu.requestStop();
      return 0;
    },
  },
  {
    name: 'sched_getaffinity', args: ['int', 'uint', 'cpu_set_out'], result: 'dec', support: 'full', note: 'one CPU',
    handler: (_k, t, a) => {
      const size = a.arg(1);
      if (size < 8 || size % 8 !== 0) return -Errno.EINVAL;
      const mask = new Uint8Array(8);
      mask[0] = 1;
      return t.process.mm.write(a.arg(2), mask) ? 8 : -Errno.EFAULT;
    },
  },
  { name: 'sched_setaffinity', args: ['int', 'uint', { kind: 'cpu_set', len: 1 }], result: 'dec', support: 'stub', handler: () => 0, note: 'one CPU: the mask is accepted and ignored' },
  {
    name: 'getcpu', args: ['uint_ptr_out', 'uint_ptr_out', 'ptr'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      if (a.arg(0) !== 0 && !mm.writeU32(a.arg(0), 0)) return -Errno.EFAULT;
      if (a.arg(1) !== 0 && !mm.writeU32(a.arg(1), 0)) return -Errno.EFAULT;
      return 0;
    },
  },
  { name: 'iopl', args: ['int'], result: 'dec', support: 'full', ptregs: true, handler: (_k, _t, a) => (a.int(0) === 0 ? 0 : -Errno.EPERM) },
  { name: 'ioperm', args: ['hex', 'hex', 'int'], result: 'dec', support: 'full', handler: () => -Errno.EPERM },
];

function writeIds(mm: { writeU32(addr: number, v: number): boolean }, addrs: number[], id: number): number {
  for (const addr of addrs) if (!mm.writeU32(addr, id)) return -Errno.EFAULT;
  return 0;
}
