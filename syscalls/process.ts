// Process identity, exit, and per-thread set-up calls that libc makes at start-up.
import { Errno } from '../kernel-shim/errno.js';
import { iopl, ioperm } from '../kernel-shim/privileged.js';
import { rseqCall } from '../kernel-shim/rseq.js';
import { archPrctl, prctl } from '../kernel-shim/prctl.js';
import {
  ROBUST_LIST_HEAD_SIZE, newSession, processGroupOf, robustListOf, sessionOf, setFsId, setId, setIds, setProcessGroup, setRobustList,
  supplementaryGroups,
} from '../kernel-shim/process-ids.js';
import { archPrctlArgs, prctlArgs, prctlResult } from './argkinds-by-value.js';
import { setAffinity } from '../kernel-shim/sched-calls.js';
import type { SyscallDef } from './types.js';

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
      const groups = supplementaryGroups(t.process, a.int(0));
      if (typeof groups === 'number') return groups;
      if (a.int(0) === 0) return groups.length;
      const buf = new Uint8Array(4 * groups.length);
      const dv = new DataView(buf.buffer);
      groups.forEach((g, i) => dv.setUint32(4 * i, g, true));
      return t.process.mm.write(a.arg(1), buf) ? groups.length : -Errno.EFAULT;
    },
  },
  ...['setuid', 'setgid', 'setfsuid', 'setfsgid'].map((name): SyscallDef => ({
    name, args: ['int'], result: 'dec', support: 'partial', note: 'only to the current id',
    handler: (_k, t, a) => {
      const kind = name.includes('uid') ? 'uid' : 'gid';
      return name.startsWith('setfs') ? setFsId(t.process, kind) : setId(t.process, kind, a.int(0));
    },
  })),
  ...['setreuid', 'setregid', 'setresuid', 'setresgid'].map((name): SyscallDef => ({
    name, args: name.startsWith('setres') ? ['int', 'int', 'int'] : ['int', 'int'], result: 'dec', support: 'partial', note: 'only to the current ids',
    handler: (_k, t, a) => {
      const ids = name.startsWith('setres') ? [a.int(0), a.int(1), a.int(2)] : [a.int(0), a.int(1)];
      return setIds(t.process, name.includes('uid') ? 'uid' : 'gid', ids);
    },
  })),
  { name: 'setgroups', args: ['int', { kind: 'gid_array', len: 0 }], result: 'dec', support: 'partial', handler: () => -Errno.EPERM, note: 'not privileged' },
  { name: 'getpgrp', args: [], result: 'dec', support: 'full', handler: (_k, t) => t.process.pgid },
  {
    name: 'getpgid', args: ['int'], result: 'dec', support: 'full',
    handler: (k, t, a) => processGroupOf(k, t.process, a.int(0)),
  },
  {
    name: 'getsid', args: ['int'], result: 'dec', support: 'full',
    handler: (k, t, a) => sessionOf(k, t.process, a.int(0)),
  },
  {
    name: 'setpgid', args: ['int', 'int'], result: 'dec', support: 'partial', note: 'the target need not be the caller or its child, nor the group exist in its session',
    handler: (k, t, a) => setProcessGroup(k, t.process, a.int(0), a.int(1)),
  },
  {
    name: 'setsid', args: [], result: 'dec', support: 'full',
    handler: (_k, t) => newSession(t.process),
  },
  {
    name: 'umask', args: ['mode'], result: 'octal', support: 'full',
    handler: (_k, t, a) => t.process.fs.setUmask(a.int(0)),
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
    handler: (_k, t, a) => setRobustList(t, a.arg(0), a.arg(1)),
  },
  {
    name: 'get_robust_list', args: ['int', 'ptr_box_out', 'ulong_ptr_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const head = robustListOf(k, t, a.int(0));
      if (head < 0) return head;
      const mm = t.process.mm;
      return mm.writeU64(a.arg(1), BigInt(head)) && mm.writeU64(a.arg(2), BigInt(ROBUST_LIST_HEAD_SIZE)) ? 0 : -Errno.EFAULT;
    },
  },
  {
    name: 'rseq', args: ['ptr', 'hex', 'hex', 'hex'], result: 'dec', support: 'full', note: 'one CPU (cpu_id 0, node 0); critical sections abort when their thread is preempted or signalled',
    handler: (_k, t, a) => rseqCall(t, a.arg(0), a.arg(1) >>> 0, a.int(2), a.arg(3) >>> 0),
  },
  {
    name: 'arch_prctl', args: archPrctlArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => archPrctl(t, a.int(0), a.argBig(1)),
  },
  {
    name: 'prctl', args: prctlArgs, result: prctlResult, support: 'partial',
    note: 'names, dumpable, no_new_privs, pdeathsig, subreaper; PR_SET_VMA accepted and ignored',
    handler: (_k, t, a) => prctl(t, a.int(0), a.arg(1)),
  },
  { name: 'personality', args: ['personality'], result: 'personality', support: 'partial', note: 'PER_LINUX only; other personas are EINVAL', handler: (_k, _t, a) => (a.int(0) === -1 || a.int(0) === 0 ? 0 : -Errno.EINVAL) },
  {
    name: 'sched_yield', args: [], result: 'dec', support: 'full',
    handler: (k) => {
      k.scheduler.yieldSlice();
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
  {
    name: 'sched_setaffinity', args: ['int', 'uint', { kind: 'cpu_set', len: 1 }], result: 'dec', support: 'partial', note: 'one CPU: a mask with CPU 0 is accepted and has no effect',
    // Linux copies at most its cpumask's size (8 bytes for one CPU here) and zero-fills a shorter mask.
    handler: (k, t, a) => setAffinity(k, t, a.int(0), a.arg(1) === 0 ? new Uint8Array(0) : t.process.mm.read(a.arg(2), Math.min(a.arg(1), 8))),
  },
  {
    name: 'getcpu', args: ['uint_ptr_out', 'uint_ptr_out', 'ptr'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      if (a.arg(0) !== 0 && !mm.writeU32(a.arg(0), 0)) return -Errno.EFAULT;
      if (a.arg(1) !== 0 && !mm.writeU32(a.arg(1), 0)) return -Errno.EFAULT;
      return 0;
    },
  },
  { name: 'iopl', args: ['int'], result: 'dec', support: 'full', ptregs: true, note: 'no CAP_SYS_RAWIO: the level stays 0', handler: (_k, _t, a) => iopl(a.int(0)) },
  { name: 'ioperm', args: ['hex', 'hex', 'int'], result: 'dec', support: 'full', note: 'no CAP_SYS_RAWIO: turning ports on is EPERM', handler: (_k, _t, a) => ioperm(a.argBig(0), a.argBig(1), a.int(2)) },
];

function writeIds(mm: { writeU32(addr: number, v: number): boolean }, addrs: number[], id: number): number {
  for (const addr of addrs) if (!mm.writeU32(addr, id)) return -Errno.EFAULT;
  return 0;
}
