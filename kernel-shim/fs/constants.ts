// Linux x86-64 values used by the filesystem layer (see spec section 6.3).

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_NOCTTY = 0x100;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DSYNC = 0x1000;
export const O_DIRECT = 0x4000;
export const O_LARGEFILE = 0x8000;
export const O_DIRECTORY = 0x10000;
export const O_NOFOLLOW = 0x20000;
export const O_NOATIME = 0x40000;
export const O_CLOEXEC = 0x80000;
export const O_SYNC = 0x101000;
export const O_PATH = 0x200000;
export const O_TMPFILE = 0x410000;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

/** *at(): the dirfd naming the working directory, and the flags. */
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_TYPE = 0x6000;

export const POLLIN = 1;
export const POLLOUT = 4;
export const POLLNVAL = 0x20;

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const FIONREAD = 0x541b;

/** Largest file offset (off_t is signed 64-bit). */
export const MAX_OFFSET = (1n << 63n) - 1n;

/** Linux dev_t encoding (new_encode_dev), as st_dev/st_rdev carry it. */
export function makedev(major: number, minor: number): bigint {
  return BigInt(minor & 0xff) | (BigInt(major) << 8n) | (BigInt(minor >>> 8) << 20n);
}

/** Whether the access mode permits reading/writing (accmode 3 permits neither, as in Linux). */
export function canRead(flags: number): boolean {
  return (((flags & O_ACCMODE) + 1) & 1) !== 0;
}
export function canWrite(flags: number): boolean {
  return (((flags & O_ACCMODE) + 1) & 2) !== 0;
}

/**
 * The status flags a new description keeps (what F_GETFL reports): creation flags and
 * O_CLOEXEC are dropped, O_LARGEFILE is implied on 64-bit, and O_PATH keeps only its own set.
 */
export function statusFlags(openFlags: number): number {
  if (openFlags & O_PATH) return openFlags & (O_PATH | O_DIRECTORY | O_NOFOLLOW);
  return (openFlags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
}
