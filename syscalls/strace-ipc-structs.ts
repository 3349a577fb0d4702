// strace's decoding of the System V IPC structs: *id64_ds after IPC_STAT/*_STAT and as
// IPC_SET reads it (the permission fields, and msg_qbytes), and the limits of IPC_INFO and
// *_INFO (x86-64 layouts: kernel-shim/abi/ipc.ts).
import { IPC_PERM_SIZE, MSGINFO_SIZE, MSQID_DS_SIZE, SEMID_DS_SIZE, SEMINFO_SIZE, SHMID_DS_SIZE, SHMINFO_SIZE, SHM_INFO_SIZE } from '../kernel-shim/abi/ipc.js';
import { type GuestReader, octal, pointer, readView } from './strace-values.js';

/** A field: name, offset, and how it is read (u16, i32, u32, u64). */
type Field = readonly [string, number, 'u16' | 'i32' | 'u32' | 'u64'];

function value(view: DataView, off: number, type: Field[2]): string {
  switch (type) {
    case 'u16': return String(view.getUint16(off, true));
    case 'i32': return String(view.getInt32(off, true));
    case 'u32': return String(view.getUint32(off, true));
    default: return String(view.getBigUint64(off, true));
  }
}

function fields(view: DataView, list: readonly Field[]): string {
  return list.map(([name, off, type]) => `${name}=${value(view, off, type)}`).join(', ');
}

/** struct ipc64_perm: all of it, or the fields IPC_SET reads. */
function perm(view: DataView, full: boolean): string {
  const head = `uid=${view.getUint32(4, true)}, gid=${view.getUint32(8, true)}, mode=${octal(BigInt(view.getUint16(20, true)))}`;
  return full ? `{${head}, key=${view.getInt32(0, true)}, cuid=${view.getUint32(12, true)}, cgid=${view.getUint32(16, true)}}` : `{${head}}`;
}

function decoder(size: number, show: (view: DataView) => string): (addr: bigint, mem: GuestReader) => string {
  return (addr, mem) => {
    const view = readView(addr, size, mem);
    return view === null ? pointer(addr) : show(view);
  };
}

export const shmidDs = decoder(SHMID_DS_SIZE, (v) => `{shm_perm=${perm(v, true)}, ${fields(v, [
  ['shm_segsz', 48, 'u64'], ['shm_cpid', 80, 'i32'], ['shm_lpid', 84, 'i32'], ['shm_nattch', 88, 'u64'],
  ['shm_atime', 56, 'u64'], ['shm_dtime', 64, 'u64'], ['shm_ctime', 72, 'u64'],
])}}`);
export const shmidSet = decoder(IPC_PERM_SIZE, (v) => `{shm_perm=${perm(v, false)}}`);
export const semidDs = decoder(SEMID_DS_SIZE, (v) => `{sem_perm=${perm(v, true)}, ${fields(v, [['sem_otime', 48, 'u64'], ['sem_ctime', 64, 'u64'], ['sem_nsems', 80, 'u64']])}}`);
export const semidSet = decoder(IPC_PERM_SIZE, (v) => `{sem_perm=${perm(v, false)}}`);
export const msqidDs = decoder(MSQID_DS_SIZE, (v) => `{msg_perm=${perm(v, true)}, ${fields(v, [
  ['msg_stime', 48, 'u64'], ['msg_rtime', 56, 'u64'], ['msg_ctime', 64, 'u64'], ['msg_qnum', 80, 'u64'], ['msg_qbytes', 88, 'u64'],
  ['msg_lspid', 96, 'i32'], ['msg_lrpid', 100, 'i32'],
])}}`);
export const msqidSet = decoder(MSQID_DS_SIZE, (v) => `{msg_perm=${perm(v, false)}, ${fields(v, [['msg_qbytes', 88, 'u64']])}}`);
export const shminfo = decoder(SHMINFO_SIZE, (v) => `{${fields(v, [['shmmax', 0, 'u64'], ['shmmin', 8, 'u64'], ['shmmni', 16, 'u64'], ['shmseg', 24, 'u64'], ['shmall', 32, 'u64']])}}`);
export const shmInfo = decoder(SHM_INFO_SIZE, (v) => `{${fields(v, [
  ['used_ids', 0, 'i32'], ['shm_tot', 8, 'u64'], ['shm_rss', 16, 'u64'], ['shm_swp', 24, 'u64'], ['swap_attempts', 32, 'u64'], ['swap_successes', 40, 'u64'],
])}}`);
const SEMINFO_NAMES = ['semmap', 'semmni', 'semmns', 'semmnu', 'semmsl', 'semopm', 'semume', 'semusz', 'semvmx', 'semaem'];
export const seminfo = decoder(SEMINFO_SIZE, (v) => `{${fields(v, SEMINFO_NAMES.map((name, i) => [name, i * 4, 'i32'] as const))}}`);
const MSGINFO_NAMES = ['msgpool', 'msgmap', 'msgmax', 'msgmnb', 'msgmni', 'msgssz', 'msgtql'];
export const msginfo = decoder(MSGINFO_SIZE, (v) => `{${fields(v, [...MSGINFO_NAMES.map((name, i) => [name, i * 4, 'i32'] as const), ['msgseg', 28, 'u16']])}}`);
