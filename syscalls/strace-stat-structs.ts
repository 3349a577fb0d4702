// strace's decoding of what stat and statfs fill, abbreviated as strace prints them without -v:
//   {st_mode=S_IFREG|0644, st_size=123, ...}   {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}
//   {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, ..., f_fsid={val=[0x1, 0x2]}, ..., f_flags=ST_VALID|ST_RELATIME}
import { decodeStat, STAT_SIZE } from '../kernel-shim/abi/stat.js';
import { decodeStatfs, STATFS_SIZE } from '../kernel-shim/abi/statfs.js';
import { device, fileMode, flags, type GuestReader, hex, pointer, readView, xval } from './strace-values.js';
import { FS_MAGICS, ST_VALID, STATFS_FLAGS } from './strace-xlat.js';

const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/** struct stat: the mode, then the device number for device files and the size for the rest. */
export function stat(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, STAT_SIZE, mem);
  if (view === null) return pointer(addr);
  const st = decodeStat(view, 0);
  const type = st.mode & S_IFMT;
  const second = type === S_IFCHR || type === S_IFBLK ? `st_rdev=${device(st.rdev)}` : `st_size=${BigInt.asUintN(64, st.size)}`;
  return `{st_mode=${fileMode(BigInt(st.mode))}, ${second}, ...}`;
}

/** struct statfs, every field; the mount flags only when the kernel marked them valid. */
export function statfs(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, STATFS_SIZE, mem);
  if (view === null) return pointer(addr);
  const fs = decodeStatfs(view, 0);
  const fsid = fs.fsid.map((v) => hex(BigInt(v >>> 0))).join(', ');
  const parts = [
    `f_type=${xval(BigInt.asUintN(64, BigInt(fs.type)), FS_MAGICS, null)}`,
    `f_bsize=${fs.bsize}`,
    `f_blocks=${fs.blocks}`,
    `f_bfree=${fs.bfree}`,
    `f_bavail=${fs.bavail}`,
    `f_files=${fs.files}`,
    `f_ffree=${fs.ffree}`,
    `f_fsid={val=[${fsid}]}`,
    `f_namelen=${fs.namelen}`,
    `f_frsize=${fs.frsize}`,
  ];
  if ((fs.flags & ST_VALID) !== 0) parts.push(`f_flags=${flags(BigInt.asUintN(64, BigInt(fs.flags)), STATFS_FLAGS, 'ST_???')}`);
  return `{${parts.join(', ')}}`;
}
