// struct statfs (statfs/fstatfs) on x86-64: every word is 8 bytes except the two fsid ints.
// The block sizes are bigint so the VFS's FsStats encodes as it is.
import { zeroFill } from './bytes.js';

export interface StatfsValue {
  /** Filesystem magic, e.g. 0xef53 for ext4, 0x01021994 for tmpfs. */
  type: number;
  bsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  fsid: readonly [number, number];
  namelen: number;
  frsize: bigint;
  /** ST_* mount flags (ST_RDONLY 1, ST_NOSUID 2, ...). */
  flags: number;
}

export const STATFS_SIZE = 120;
export const STATFS_OFFSETS = {
  type: 0,
  bsize: 8,
  blocks: 16,
  bfree: 24,
  bavail: 32,
  files: 40,
  ffree: 48,
  fsid: 56,
  namelen: 64,
  frsize: 72,
  flags: 80,
  spare: 88,
} as const;
const O = STATFS_OFFSETS;

export function encodeStatfs(view: DataView, off: number, v: StatfsValue): void {
  zeroFill(view, off, STATFS_SIZE);
  view.setBigInt64(off + O.type, BigInt(v.type), true);
  view.setBigInt64(off + O.bsize, v.bsize, true);
  view.setBigUint64(off + O.blocks, v.blocks, true);
  view.setBigUint64(off + O.bfree, v.bfree, true);
  view.setBigUint64(off + O.bavail, v.bavail, true);
  view.setBigUint64(off + O.files, v.files, true);
  view.setBigUint64(off + O.ffree, v.ffree, true);
  view.setInt32(off + O.fsid, v.fsid[0], true);
  view.setInt32(off + O.fsid + 4, v.fsid[1], true);
  view.setBigInt64(off + O.namelen, BigInt(v.namelen), true);
  view.setBigInt64(off + O.frsize, v.frsize, true);
  view.setBigInt64(off + O.flags, BigInt(v.flags), true);
}

export function decodeStatfs(view: DataView, off: number): StatfsValue {
  const long = (o: number) => Number(view.getBigInt64(off + o, true));
  return {
    type: long(O.type),
    bsize: view.getBigInt64(off + O.bsize, true),
    blocks: view.getBigUint64(off + O.blocks, true),
    bfree: view.getBigUint64(off + O.bfree, true),
    bavail: view.getBigUint64(off + O.bavail, true),
    files: view.getBigUint64(off + O.files, true),
    ffree: view.getBigUint64(off + O.ffree, true),
    fsid: [view.getInt32(off + O.fsid, true), view.getInt32(off + O.fsid + 4, true)],
    namelen: long(O.namelen),
    frsize: view.getBigInt64(off + O.frsize, true),
    flags: long(O.flags),
  };
}
