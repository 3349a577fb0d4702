// System V IPC: shared memory, semaphores and message queues (kernel-shim/ipc/).
import { msgctl } from '../kernel-shim/ipc/msg-ctl.js';
import { msgget, msgrcv, msgsnd } from '../kernel-shim/ipc/msg.js';
import { semctl } from '../kernel-shim/ipc/sem-ctl.js';
import { semget, semop } from '../kernel-shim/ipc/sem.js';
import { shmctl } from '../kernel-shim/ipc/shm-ctl.js';
import { shmat, shmdt, shmget } from '../kernel-shim/ipc/shm.js';
import { readTimespec } from './guest.js';
import { msgctlArgs, semctlArgs, shmctlArgs } from './strace-ipc.js';
import type { SyscallDef } from './types.js';

export const ipcSyscalls: SyscallDef[] = [
  {
    name: 'shmget', args: ['ipc_key', 'uint', 'ipc_get_flags'], result: 'dec', support: 'partial', handler: (k, t, a) => shmget(k, t, a.int(0), a.argBig(1), a.int(2)),
    note: 'SHM_HUGETLB and SHM_NORESERVE make ordinary segments; the limits are Linux\'s defaults (no /proc/sys/kernel/shm*)',
  },
  { name: 'shmat', args: ['int', 'ptr', 'shmat_flags'], result: 'hex', support: 'full', handler: (k, t, a) => shmat(k, t, a.int(0), a.arg(1), a.int(2)) },
  {
    name: 'shmctl', args: shmctlArgs, result: 'dec', support: 'partial', handler: (k, t, a) => shmctl(k, t, a.int(0), a.int(1), a.arg(2)),
    note: 'shm_atime, shm_dtime and shm_lpid change on shmat and shmdt only, not when fork, munmap, exec or exit attach or detach; SHM_LOCK only sets the flag',
  },
  { name: 'shmdt', args: ['ptr'], result: 'dec', support: 'full', handler: (k, t, a) => shmdt(k, t, a.arg(0)) },
  {
    name: 'semget', args: ['ipc_key', 'int', 'ipc_get_flags'], result: 'dec', support: 'full', handler: (k, t, a) => semget(k, t, a.int(0), a.int(1), a.int(2)),
  },
  {
    name: 'semop', args: ['int', 'sembufs', 'uint'], result: 'dec', support: 'partial',
    handler: (k, t, a) => semop(k, t, { semid: a.int(0), sops: a.arg(1), nsops: a.arg(2), timeout: undefined }),
    note: 'sleepers retry on every change of the set instead of Linux\'s FIFO hand-over; SEM_UNDO lists are per process (CLONE_SYSVSEM between processes does not share them)',
  },
  {
    name: 'semtimedop', args: ['int', 'sembufs', 'uint', 'timespec'], result: 'dec', support: 'partial',
    handler: (k, t, a) => semop(k, t, { semid: a.int(0), sops: a.arg(1), nsops: a.arg(2), timeout: a.arg(3) === 0 ? undefined : readTimespec(t, a.arg(3)) }),
    note: 'as semop',
  },
  { name: 'semctl', args: semctlArgs, result: 'dec', support: 'full', handler: (k, t, a) => semctl(k, t, a.int(0), a.int(1), a.int(2), a.arg(3)) },
  { name: 'msgget', args: ['ipc_key', 'ipc_get_flags'], result: 'dec', support: 'full', handler: (k, t, a) => msgget(k, t, a.int(0), a.int(1)) },
  {
    name: 'msgsnd', args: ['int', 'msgbuf', 'uint', 'ipc_msg_flags'], result: 'dec', support: 'full', handler: (k, t, a) => msgsnd(k, t, a.int(0), a.arg(1), a.argBig(2), a.int(3)),
  },
  {
    name: 'msgrcv', args: ['int', 'msgbuf_out', 'uint', 'long', 'ipc_msg_flags'], result: 'dec', support: 'full',
    handler: (k, t, a) => msgrcv(k, t, { msqid: a.int(0), msgp: a.arg(1), msgsz: a.argBig(2), msgtyp: BigInt.asIntN(64, a.argBig(3)), flg: a.int(4) }),
  },
  { name: 'msgctl', args: msgctlArgs, result: 'dec', support: 'full', handler: (k, t, a) => msgctl(k, t, a.int(0), a.int(1), a.arg(2)) },
];
