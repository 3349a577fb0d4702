// Directory records: struct linux_dirent64 (getdents64) and the older struct linux_dirent
// (getdents). Both end in a flexible name, so a record is header + name + NUL padded to 8 bytes;
// the old format keeps d_type in the record's last byte.
import type { DirEntry } from '../fs/file.js';
import { bytesAt, decodeFixedString, stringBytes } from './bytes.js';

/** d_type values. */
export const DT = {
  UNKNOWN: 0,
  FIFO: 1,
  CHR: 2,
  DIR: 4,
  BLK: 6,
  REG: 8,
  LNK: 10,
  SOCK: 12,
} as const;

export const DIRENT64_OFFSETS = { ino: 0, off: 8, reclen: 16, type: 18, name: 19 } as const;
/** linux_dirent has no d_type field before the name: d_type is the byte at reclen - 1. */
export const DIRENT_OFFSETS = { ino: 0, off: 8, reclen: 16, name: 18 } as const;

export function dirent64RecLen(nameBytes: number): number {
  return (DIRENT64_OFFSETS.name + nameBytes + 1 + 7) & ~7;
}

/** Name, NUL and the trailing d_type byte. */
export function direntRecLen(nameBytes: number): number {
  return (DIRENT_OFFSETS.name + nameBytes + 2 + 7) & ~7;
}

export interface Dirent {
  ino: bigint;
  /** Position of the next entry (what lseek on the directory accepts). */
  off: bigint;
  reclen: number;
  type: number;
  name: string;
}

export function decodeDirent64(view: DataView, off: number): Dirent {
  const O = DIRENT64_OFFSETS;
  const reclen = view.getUint16(off + O.reclen, true);
  return {
    ino: view.getBigUint64(off + O.ino, true),
    off: view.getBigInt64(off + O.off, true),
    reclen,
    type: view.getUint8(off + O.type),
    name: decodeFixedString(view, off + O.name, reclen - O.name),
  };
}

export function decodeDirent(view: DataView, off: number): Dirent {
  const O = DIRENT_OFFSETS;
  const reclen = view.getUint16(off + O.reclen, true);
  return {
    ino: view.getBigUint64(off + O.ino, true),
    off: view.getBigUint64(off + O.off, true),
    reclen,
    type: view.getUint8(off + reclen - 1),
    name: decodeFixedString(view, off + O.name, reclen - 1 - O.name),
  };
}

export interface DirentsEncoded {
  /** Bytes written: getdents64's return value. */
  bytes: number;
  /** Entries that fit: how far to advance the directory position. */
  count: number;
}

/**
 * Packs entries into view[off, off+size) until the next one does not fit. d_off of entry i is
 * firstIndex + i + 1, the directory position after it, so pass the position of entries[0].
 * count 0 with entries left means even one record does not fit (getdents64 then fails with EINVAL).
 */
export function encodeDirents64(
  view: DataView,
  off: number,
  size: number,
  entries: readonly DirEntry[],
  firstIndex = 0,
): DirentsEncoded {
  const O = DIRENT64_OFFSETS;
  return pack(view, off, size, entries, dirent64RecLen, (rec, reclen, entry, name, next) => {
    view.setBigUint64(rec + O.ino, entry.ino, true);
    view.setBigInt64(rec + O.off, next, true);
    view.setUint16(rec + O.reclen, reclen, true);
    view.setUint8(rec + O.type, entry.type);
    bytesAt(view, rec + O.name, name.length).set(name);
  }, firstIndex);
}

/** encodeDirents64 for the old getdents layout. */
export function encodeDirents(
  view: DataView,
  off: number,
  size: number,
  entries: readonly DirEntry[],
  firstIndex = 0,
): DirentsEncoded {
  const O = DIRENT_OFFSETS;
  return pack(view, off, size, entries, direntRecLen, (rec, reclen, entry, name, next) => {
    view.setBigUint64(rec + O.ino, entry.ino, true);
    view.setBigUint64(rec + O.off, next, true);
    view.setUint16(rec + O.reclen, reclen, true);
    bytesAt(view, rec + O.name, name.length).set(name);
    view.setUint8(rec + reclen - 1, entry.type);
  }, firstIndex);
}

type RecordWriter = (rec: number, reclen: number, entry: DirEntry, name: Uint8Array, next: bigint) => void;

function pack(
  view: DataView,
  off: number,
  size: number,
  entries: readonly DirEntry[],
  recLen: (nameBytes: number) => number,
  write: RecordWriter,
  firstIndex: number,
): DirentsEncoded {
  let used = 0;
  let count = 0;
  for (const entry of entries) {
    const name = stringBytes(entry.name);
    const reclen = recLen(name.length);
    if (used + reclen > size) break;
    bytesAt(view, off + used, reclen).fill(0);
    write(off + used, reclen, entry, name, BigInt(firstIndex + count + 1));
    used += reclen;
    count++;
  }
  return { bytes: used, count };
}
