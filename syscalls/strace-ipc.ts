// How --strace shows the System V IPC calls' arguments, as strace does: keys (IPC_PRIVATE
// or hex), xxxget flags (IPC_CREAT|IPC_EXCL|0600), shmat and msgsnd/msgrcv flags and the
// commands of shmctl, semctl and msgctl.
import { type Xlat, numberedFrom } from '../kernel-shim/abi/xlat.js';
import { flags, hex, octal } from './strace-values.js';

const IPC_COMMANDS: [string, number][] = numberedFrom(0, ['IPC_RMID', 'IPC_SET', 'IPC_STAT', 'IPC_INFO']);

export const SHMCTL_CMDS: Xlat = [...IPC_COMMANDS, ...numberedFrom(11, ['SHM_LOCK', 'SHM_UNLOCK', 'SHM_STAT', 'SHM_INFO', 'SHM_STAT_ANY'])];
export const SEMCTL_CMDS: Xlat = [
  ...IPC_COMMANDS,
  ...numberedFrom(11, ['GETPID', 'GETVAL', 'GETALL', 'GETNCNT', 'GETZCNT', 'SETVAL', 'SETALL', 'SEM_STAT', 'SEM_INFO', 'SEM_STAT_ANY']),
];
export const MSGCTL_CMDS: Xlat = [...IPC_COMMANDS, ...numberedFrom(11, ['MSG_STAT', 'MSG_INFO', 'MSG_STAT_ANY'])];
export const SHMAT_FLAGS: Xlat = [['SHM_RDONLY', 0o10000], ['SHM_RND', 0o20000], ['SHM_REMAP', 0o40000], ['SHM_EXEC', 0o100000]];
export const IPC_MSG_FLAGS: Xlat = [['IPC_NOWAIT', 0o4000], ['MSG_NOERROR', 0o10000], ['MSG_EXCEPT', 0o20000], ['MSG_COPY', 0o40000]];
export const SEMOP_FLAGS: Xlat = [['IPC_NOWAIT', 0o4000], ['SEM_UNDO', 0x1000]];
const IPC_GET_FLAGS: Xlat = [['IPC_CREAT', 0o1000], ['IPC_EXCL', 0o2000], ['SHM_HUGETLB', 0o4000], ['SHM_NORESERVE', 0o10000]];

export function ipcKey(v: bigint): string {
  const key = BigInt.asUintN(32, v);
  return key === 0n ? 'IPC_PRIVATE' : hex(key);
}

/** shmget/semget/msgget flags: the IPC_* (and SHM_*) bits, then the permissions in octal. */
export function ipcGetFlags(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const mode = value & 0o777n;
  const rest = value & ~0o777n;
  return rest === 0n ? octal(mode) : `${flags(rest, IPC_GET_FLAGS, null)}|${octal(mode)}`;
}
