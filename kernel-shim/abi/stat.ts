// struct stat as stat/fstat/lstat/newfstatat fill it on x86-64 (the kernel's "new" layout,
// which glibc and musl use unchanged; nlink comes before mode).
import type { FileStat } from '../fs/file.js';
import { zeroFill } from './bytes.js';
import { nsToTimespec, timespecToNs } from './time.js';

/** The fields struct stat carries: FileStat without the birth time. */
export type StatValue = Omit<FileStat, 'birthtimeNs'>;

export const STAT_SIZE = 144;
export const STAT_OFFSETS = {
  dev: 0,
  ino: 8,
  nlink: 16,
  mode: 24,
  uid: 28,
  gid: 32,
  rdev: 40,
  size: 48,
  blksize: 56,
  blocks: 64,
  atimeSec: 72,
  atimeNsec: 80,
  mtimeSec: 88,
  mtimeNsec: 96,
  ctimeSec: 104,
  ctimeNsec: 112,
  reserved: 120,
} as const;
const O = STAT_OFFSETS;

export function encodeStat(view: DataView, off: number, st: StatValue): void {
  zeroFill(view, off, STAT_SIZE);
  view.setBigUint64(off + O.dev, st.dev, true);
  view.setBigUint64(off + O.ino, st.ino, true);
  view.setBigUint64(off + O.nlink, BigInt(st.nlink), true);
  view.setUint32(off + O.mode, st.mode, true);
  view.setUint32(off + O.uid, st.uid, true);
  view.setUint32(off + O.gid, st.gid, true);
  view.setBigUint64(off + O.rdev, st.rdev, true);
  view.setBigInt64(off + O.size, st.size, true);
  view.setBigInt64(off + O.blksize, BigInt(st.blksize), true);
  view.setBigInt64(off + O.blocks, st.blocks, true);
  putTime(view, off + O.atimeSec, off + O.atimeNsec, st.atimeNs);
  putTime(view, off + O.mtimeSec, off + O.mtimeNsec, st.mtimeNs);
  putTime(view, off + O.ctimeSec, off + O.ctimeNsec, st.ctimeNs);
}

export function decodeStat(view: DataView, off: number): StatValue {
  const getTime = (secOff: number, nsecOff: number) =>
    timespecToNs({
      sec: view.getBigInt64(off + secOff, true),
      nsec: view.getBigInt64(off + nsecOff, true),
    });
  return {
    dev: view.getBigUint64(off + O.dev, true),
    ino: view.getBigUint64(off + O.ino, true),
    nlink: Number(view.getBigUint64(off + O.nlink, true)),
    mode: view.getUint32(off + O.mode, true),
    uid: view.getUint32(off + O.uid, true),
    gid: view.getUint32(off + O.gid, true),
    rdev: view.getBigUint64(off + O.rdev, true),
    size: view.getBigInt64(off + O.size, true),
    blksize: Number(view.getBigInt64(off + O.blksize, true)),
    blocks: view.getBigInt64(off + O.blocks, true),
    atimeNs: getTime(O.atimeSec, O.atimeNsec),
    mtimeNs: getTime(O.mtimeSec, O.mtimeNsec),
    ctimeNs: getTime(O.ctimeSec, O.ctimeNsec),
  };
}

function putTime(view: DataView, secOff: number, nsecOff: number, ns: bigint): void {
  const ts = nsToTimespec(ns);
  view.setBigInt64(secOff, ts.sec, true);
  view.setBigInt64(nsecOff, ts.nsec, true);
}
