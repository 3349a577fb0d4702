// struct statx (statx, 332): offsets from linux/stat.h.
import type { FileStat } from '../fs/file.js';
import { zeroFill } from './bytes.js';
import { nsToTimespec } from './time.js';

/** struct statx_timestamp: tv_sec i64, tv_nsec u32, 4 reserved bytes. */
export interface StatxTimestamp {
  sec: bigint;
  nsec: number;
}
export const STATX_TIMESTAMP_SIZE = 16;
export const STATX_TIMESTAMP_OFFSETS = { sec: 0, nsec: 8, reserved: 12 } as const;

export interface StatxValue {
  mask: number;
  blksize: number;
  attributes: bigint;
  nlink: number;
  uid: number;
  gid: number;
  mode: number;
  ino: bigint;
  size: bigint;
  blocks: bigint;
  attributesMask: bigint;
  atime: StatxTimestamp;
  btime: StatxTimestamp;
  ctime: StatxTimestamp;
  mtime: StatxTimestamp;
  rdevMajor: number;
  rdevMinor: number;
  devMajor: number;
  devMinor: number;
}

export const STATX_SIZE = 256;
export const STATX_OFFSETS = {
  mask: 0,
  blksize: 4,
  attributes: 8,
  nlink: 16,
  uid: 20,
  gid: 24,
  mode: 28,
  ino: 32,
  size: 40,
  blocks: 48,
  attributesMask: 56,
  atime: 64,
  btime: 80,
  ctime: 96,
  mtime: 112,
  rdevMajor: 128,
  rdevMinor: 132,
  devMajor: 136,
  devMinor: 140,
} as const;
const O = STATX_OFFSETS;

/** stx_mask bits (STATX_* in linux/stat.h). */
export const STATX_MASK = {
  TYPE: 0x1,
  MODE: 0x2,
  NLINK: 0x4,
  UID: 0x8,
  GID: 0x10,
  ATIME: 0x20,
  MTIME: 0x40,
  CTIME: 0x80,
  INO: 0x100,
  SIZE: 0x200,
  BLOCKS: 0x400,
  BASIC_STATS: 0x7ff,
  BTIME: 0x800,
} as const;

export function encodeStatx(view: DataView, off: number, v: StatxValue): void {
  zeroFill(view, off, STATX_SIZE);
  view.setUint32(off + O.mask, v.mask, true);
  view.setUint32(off + O.blksize, v.blksize, true);
  view.setBigUint64(off + O.attributes, v.attributes, true);
  view.setUint32(off + O.nlink, v.nlink, true);
  view.setUint32(off + O.uid, v.uid, true);
  view.setUint32(off + O.gid, v.gid, true);
  view.setUint16(off + O.mode, v.mode, true);
  view.setBigUint64(off + O.ino, v.ino, true);
  view.setBigUint64(off + O.size, v.size, true);
  view.setBigUint64(off + O.blocks, v.blocks, true);
  view.setBigUint64(off + O.attributesMask, v.attributesMask, true);
  encodeStatxTimestamp(view, off + O.atime, v.atime);
  encodeStatxTimestamp(view, off + O.btime, v.btime);
  encodeStatxTimestamp(view, off + O.ctime, v.ctime);
  encodeStatxTimestamp(view, off + O.mtime, v.mtime);
  view.setUint32(off + O.rdevMajor, v.rdevMajor, true);
  view.setUint32(off + O.rdevMinor, v.rdevMinor, true);
  view.setUint32(off + O.devMajor, v.devMajor, true);
  view.setUint32(off + O.devMinor, v.devMinor, true);
}

export function decodeStatx(view: DataView, off: number): StatxValue {
  return {
    mask: view.getUint32(off + O.mask, true),
    blksize: view.getUint32(off + O.blksize, true),
    attributes: view.getBigUint64(off + O.attributes, true),
    nlink: view.getUint32(off + O.nlink, true),
    uid: view.getUint32(off + O.uid, true),
    gid: view.getUint32(off + O.gid, true),
    mode: view.getUint16(off + O.mode, true),
    ino: view.getBigUint64(off + O.ino, true),
    size: view.getBigUint64(off + O.size, true),
    blocks: view.getBigUint64(off + O.blocks, true),
    attributesMask: view.getBigUint64(off + O.attributesMask, true),
    atime: decodeStatxTimestamp(view, off + O.atime),
    btime: decodeStatxTimestamp(view, off + O.btime),
    ctime: decodeStatxTimestamp(view, off + O.ctime),
    mtime: decodeStatxTimestamp(view, off + O.mtime),
    rdevMajor: view.getUint32(off + O.rdevMajor, true),
    rdevMinor: view.getUint32(off + O.rdevMinor, true),
    devMajor: view.getUint32(off + O.devMajor, true),
    devMinor: view.getUint32(off + O.devMinor, true),
  };
}

function encodeStatxTimestamp(view: DataView, off: number, ts: StatxTimestamp): void {
  view.setBigInt64(off + STATX_TIMESTAMP_OFFSETS.sec, ts.sec, true);
  view.setUint32(off + STATX_TIMESTAMP_OFFSETS.nsec, ts.nsec, true);
}

function decodeStatxTimestamp(view: DataView, off: number): StatxTimestamp {
  return {
    sec: view.getBigInt64(off + STATX_TIMESTAMP_OFFSETS.sec, true),
    nsec: view.getUint32(off + STATX_TIMESTAMP_OFFSETS.nsec, true),
  };
}

// dev_t as stat reports it (glibc's 64-bit encoding, which Node's fs.Stats.dev also uses):
// major is bits 8-19 and 32-63, minor is bits 0-7 and 20-31.

export function devMajor(dev: bigint): number {
  return Number(BigInt.asUintN(32, ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)));
}

export function devMinor(dev: bigint): number {
  return Number(BigInt.asUintN(32, (dev & 0xffn) | ((dev >> 12n) & ~0xffn)));
}

export function makeDev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

/** The statx answer for a file; `mask` says which fields the caller may trust. */
export function statxFromFileStat(st: FileStat, mask: number = STATX_MASK.BASIC_STATS | STATX_MASK.BTIME): StatxValue {
  return {
    mask,
    blksize: st.blksize,
    attributes: 0n,
    nlink: st.nlink,
    uid: st.uid,
    gid: st.gid,
    mode: st.mode,
    ino: st.ino,
    size: st.size,
    blocks: st.blocks,
    attributesMask: 0n,
    atime: timestampFromNs(st.atimeNs),
    btime: timestampFromNs(st.birthtimeNs),
    ctime: timestampFromNs(st.ctimeNs),
    mtime: timestampFromNs(st.mtimeNs),
    rdevMajor: devMajor(st.rdev),
    rdevMinor: devMinor(st.rdev),
    devMajor: devMajor(st.dev),
    devMinor: devMinor(st.dev),
  };
}

function timestampFromNs(ns: bigint): StatxTimestamp {
  const ts = nsToTimespec(ns);
  return { sec: ts.sec, nsec: Number(ts.nsec) };
}
