// How --strace shows the System V IPC calls' arguments, as strace does: keys (IPC_PRIVATE
// or hex), xxxget flags (IPC_CREAT|IPC_EXCL|0600), shmat and msgsnd/msgrcv flags, the
// commands of shmctl, semctl and msgctl, semop's struct sembuf array and msgsnd's message.
import { type Xlat, numberedFrom } from '../kernel-shim/abi/xlat.js';
import { IPC_INFO, IPC_SET, IPC_STAT } from '../kernel-shim/ipc/ipc-perm.js';
import { MSG_INFO, MSG_STAT, MSG_STAT_ANY } from '../kernel-shim/ipc/msg-ctl.js';
import { SEM_INFO, SEM_STAT, SEM_STAT_ANY, SETVAL } from '../kernel-shim/ipc/sem-ctl.js';
import { SHM_INFO, SHM_STAT, SHM_STAT_ANY } from '../kernel-shim/ipc/shm-ctl.js';
import type { ArgSpec } from './argkinds.js';
import { type GuestReader, MAX_STRLEN, buffer, flags, hex, octal, pointer, readView, readWord } from './strace-values.js';

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

const SEMBUF_SIZE = 6;

/** semop's operations: [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], at most 32 then "...". */
export function sembufs(addr: bigint, nsops: bigint, mem: GuestReader): string {
  const n = nsops > BigInt(MAX_STRLEN) ? MAX_STRLEN : Number(nsops);
  const view = readView(addr, n * SEMBUF_SIZE, mem);
  if (view === null) return pointer(addr);
  const items = Array.from({ length: n }, (_, i) => {
    const at = i * SEMBUF_SIZE;
    const flg = flags(BigInt(view.getUint16(at + 4, true)), SEMOP_FLAGS, null);
    return `{sem_num=${view.getUint16(at, true)}, sem_op=${view.getInt16(at + 2, true)}, sem_flg=${flg}}`;
  });
  return `[${[...items, ...(nsops > BigInt(n) ? ['...'] : [])].join(', ')}]`;
}

/** The kind of a ctl call's buffer: its *id64_ds (stat or IPC_SET), its limits, or an address. */
function ctlBuffer(cmd: number, stats: readonly number[], infos: readonly number[], ds: 'shmid_ds' | 'semid_ds' | 'msqid_ds', info: (cmd: number) => ArgSpec): ArgSpec {
  if (cmd === IPC_STAT || stats.includes(cmd)) return `${ds}_out` as const;
  if (cmd === IPC_SET) return `${ds}_set` as const;
  if (cmd === IPC_INFO || infos.includes(cmd)) return info(cmd);
  return 'ptr';
}

const low32 = (v: bigint | undefined): number => Number(BigInt.asUintN(32, v ?? 0n));

export function shmctlArgs(args: readonly bigint[]): readonly ArgSpec[] {
  const buf = ctlBuffer(low32(args[1]), [SHM_STAT, SHM_STAT_ANY], [SHM_INFO], 'shmid_ds', (cmd) => (cmd === SHM_INFO ? 'shm_info_out' : 'shminfo_out'));
  return ['int', 'shmctl_cmd', buf];
}

/** semctl: union semun is SETVAL's int, a struct for the stat, IPC_SET and info commands, else an address. */
export function semctlArgs(args: readonly bigint[]): readonly ArgSpec[] {
  const cmd = low32(args[2]);
  const arg = cmd === SETVAL ? 'hex' : ctlBuffer(cmd, [SEM_STAT, SEM_STAT_ANY], [SEM_INFO], 'semid_ds', () => 'seminfo_out');
  return ['int', 'int', 'semctl_cmd', arg];
}

export function msgctlArgs(args: readonly bigint[]): readonly ArgSpec[] {
  return ['int', 'msgctl_cmd', ctlBuffer(low32(args[1]), [MSG_STAT, MSG_STAT_ANY], [MSG_INFO], 'msqid_ds', () => 'msginfo_out')];
}

/** msgsnd's message: {mtype=1, mtext="hello\0"}, the text as long as msgsz. */
export function msgbuf(addr: bigint, msgsz: bigint, mem: GuestReader): string {
  const type = readWord(addr, mem);
  if (type === null) return pointer(addr);
  return `{mtype=${BigInt.asIntN(64, type)}, mtext=${buffer(addr + 8n, msgsz, false, mem)}}`;
}
