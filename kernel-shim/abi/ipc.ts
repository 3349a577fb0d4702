// The System V IPC structs of x86-64 (IPC_64 layouts): struct ipc64_perm at the head of
// shmid64_ds, semid64_ds and msqid64_ds, and the limits of IPC_INFO/*_INFO (shminfo64,
// shm_info, seminfo, msginfo). Reserved fields are zero.

/** A field: byte offset, width in bytes (2, 4 or 8) and value. */
export type Field = readonly [number, 2 | 4 | 8, number | bigint];

export interface IpcPermValue {
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
  seq: number;
}

export const IPC_PERM_SIZE = 48;
export const SHMID_DS_SIZE = 112;
export const SEMID_DS_SIZE = 104;
export const MSQID_DS_SIZE = 120;
export const SHMINFO_SIZE = 72;
export const SHM_INFO_SIZE = 48;
export const SEMINFO_SIZE = 40;
export const MSGINFO_SIZE = 32;

/** A struct of `size` zero bytes with `fields` stored in it. */
export function encodeFields(size: number, fields: readonly Field[]): Uint8Array {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (const [off, width, value] of fields) {
    if (width === 2) view.setUint16(off, Number(value) & 0xffff, true);
    else if (width === 4) view.setUint32(off, Number(value) >>> 0, true);
    else view.setBigUint64(off, BigInt.asUintN(64, BigInt(value)), true);
  }
  return out;
}

export function permFields(p: IpcPermValue): Field[] {
  return [[0, 4, p.key], [4, 4, p.uid], [8, 4, p.gid], [12, 4, p.cuid], [16, 4, p.cgid], [20, 2, p.mode], [24, 2, p.seq]];
}

/** What IPC_SET reads of a struct ipc64_perm at the head of buf: uid, gid and mode. */
export function decodePermUpdate(buf: Uint8Array): { uid: number; gid: number; mode: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { uid: view.getUint32(4, true), gid: view.getUint32(8, true), mode: view.getUint16(20, true) };
}

export interface ShmidValue {
  perm: IpcPermValue;
  segsz: number;
  atime: bigint;
  dtime: bigint;
  ctime: bigint;
  cpid: number;
  lpid: number;
  nattch: number;
}

export function encodeShmid(v: ShmidValue): Uint8Array {
  return encodeFields(SHMID_DS_SIZE, [...permFields(v.perm), [48, 8, v.segsz], [56, 8, v.atime], [64, 8, v.dtime], [72, 8, v.ctime],
    [80, 4, v.cpid], [84, 4, v.lpid], [88, 8, v.nattch]]);
}

export interface SemidValue {
  perm: IpcPermValue;
  otime: bigint;
  ctime: bigint;
  nsems: number;
}

export function encodeSemid(v: SemidValue): Uint8Array {
  return encodeFields(SEMID_DS_SIZE, [...permFields(v.perm), [48, 8, v.otime], [64, 8, v.ctime], [80, 8, v.nsems]]);
}

export interface MsqidValue {
  perm: IpcPermValue;
  stime: bigint;
  rtime: bigint;
  ctime: bigint;
  cbytes: number;
  qnum: number;
  qbytes: number;
  lspid: number;
  lrpid: number;
}

export function encodeMsqid(v: MsqidValue): Uint8Array {
  return encodeFields(MSQID_DS_SIZE, [...permFields(v.perm), [48, 8, v.stime], [56, 8, v.rtime], [64, 8, v.ctime], [72, 8, v.cbytes],
    [80, 8, v.qnum], [88, 8, v.qbytes], [96, 4, v.lspid], [100, 4, v.lrpid]]);
}

/** msg_qbytes of a struct msqid64_ds (IPC_SET). */
export const MSQID_QBYTES_OFFSET = 88;

/** A struct of consecutive fields of one width (shminfo64: longs; seminfo: ints). */
export function encodeArray(size: number, width: 4 | 8, values: readonly (number | bigint)[]): Uint8Array {
  return encodeFields(size, values.map((v, i) => [i * width, width, v] as const));
}
