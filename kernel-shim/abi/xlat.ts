// Symbolic names of x86-64 syscall constants, listed in the order strace 6.1 prints them:
// a flags table is matched first to last, so an entry that covers several bits (O_SYNC,
// O_TMPFILE) must precede the entries it contains. This file: files and paths; the other
// xlat-*.ts files hold memory, process, signal, event and ioctl names.

/** [name, value] pairs; values are unsigned 32-bit unless noted. */
export type Xlat = readonly (readonly [string, number])[];

export const OPEN_ACCESS_MODES: Xlat = [
  ['O_RDONLY', 0],
  ['O_WRONLY', 1],
  ['O_RDWR', 2],
  ['O_ACCMODE', 3],
];

export const OPEN_FLAGS: Xlat = [
  ['O_CREAT', 0x40],
  ['O_EXCL', 0x80],
  ['O_NOCTTY', 0x100],
  ['O_TRUNC', 0x200],
  ['O_APPEND', 0x400],
  ['O_NONBLOCK', 0x800],
  ['O_SYNC', 0x101000],
  ['__O_SYNC', 0x100000],
  ['O_DSYNC', 0x1000],
  ['O_DIRECT', 0x4000],
  ['O_LARGEFILE', 0x8000],
  ['O_NOFOLLOW', 0x20000],
  ['O_NOATIME', 0x40000],
  ['O_CLOEXEC', 0x80000],
  ['O_PATH', 0x200000],
  ['O_TMPFILE', 0x410000],
  ['__O_TMPFILE', 0x400000],
  ['O_DIRECTORY', 0x10000],
  ['FASYNC', 0x2000],
];

export const AT_FLAGS: Xlat = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_REMOVEDIR', 0x200],
  ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000],
  ['AT_RECURSIVE', 0x8000],
];

/** faccessat2 reuses 0x200 as AT_EACCESS. */
export const FACCESSAT_FLAGS: Xlat = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_EACCESS', 0x200],
  ['AT_EMPTY_PATH', 0x1000],
];

export const ACCESS_MODES: Xlat = [
  ['F_OK', 0],
  ['R_OK', 4],
  ['W_OK', 2],
  ['X_OK', 1],
];

export const WHENCE: Xlat = [
  ['SEEK_SET', 0],
  ['SEEK_CUR', 1],
  ['SEEK_END', 2],
  ['SEEK_DATA', 3],
  ['SEEK_HOLE', 4],
];

export const FCNTL_CMDS: Xlat = [
  ['F_DUPFD', 0],
  ['F_GETFD', 1],
  ['F_SETFD', 2],
  ['F_GETFL', 3],
  ['F_SETFL', 4],
  ['F_GETLK', 5],
  ['F_SETLK', 6],
  ['F_SETLKW', 7],
  ['F_SETOWN', 8],
  ['F_GETOWN', 9],
  ['F_SETSIG', 10],
  ['F_GETSIG', 11],
  ['F_SETOWN_EX', 15],
  ['F_GETOWN_EX', 16],
  ['F_GETOWNER_UIDS', 17],
  ['F_OFD_GETLK', 36],
  ['F_OFD_SETLK', 37],
  ['F_OFD_SETLKW', 38],
  ['F_SETLEASE', 1024],
  ['F_GETLEASE', 1025],
  ['F_NOTIFY', 1026],
  ['F_CANCELLK', 1029],
  ['F_DUPFD_CLOEXEC', 1030],
  ['F_SETPIPE_SZ', 1031],
  ['F_GETPIPE_SZ', 1032],
  ['F_ADD_SEALS', 1033],
  ['F_GET_SEALS', 1034],
  ['F_GET_RW_HINT', 1035],
  ['F_SET_RW_HINT', 1036],
  ['F_GET_FILE_RW_HINT', 1037],
  ['F_SET_FILE_RW_HINT', 1038],
];

export const FD_FLAGS: Xlat = [['FD_CLOEXEC', 1]];

export const MFD_FLAGS: Xlat = [
  ['MFD_CLOEXEC', 0x1],
  ['MFD_ALLOW_SEALING', 0x2],
  ['MFD_HUGETLB', 0x4],
  ['MFD_NOEXEC_SEAL', 0x8],
  ['MFD_EXEC', 0x10],
];

export const CLOSE_RANGE_FLAGS: Xlat = [
  ['CLOSE_RANGE_UNSHARE', 0x2],
  ['CLOSE_RANGE_CLOEXEC', 0x4],
];

export const RENAME_FLAGS: Xlat = [
  ['RENAME_NOREPLACE', 0x1],
  ['RENAME_EXCHANGE', 0x2],
  ['RENAME_WHITEOUT', 0x4],
];

export const SYNC_FILE_RANGE_FLAGS: Xlat = [
  ['SYNC_FILE_RANGE_WAIT_BEFORE', 0x1],
  ['SYNC_FILE_RANGE_WRITE', 0x2],
  ['SYNC_FILE_RANGE_WAIT_AFTER', 0x4],
];

export const FADVISE_ADVICE: Xlat = [
  ['POSIX_FADV_NORMAL', 0],
  ['POSIX_FADV_RANDOM', 1],
  ['POSIX_FADV_SEQUENTIAL', 2],
  ['POSIX_FADV_WILLNEED', 3],
  ['POSIX_FADV_DONTNEED', 4],
  ['POSIX_FADV_NOREUSE', 5],
];

export const FLOCK_OPS: Xlat = [
  ['LOCK_SH', 0x1],
  ['LOCK_EX', 0x2],
  ['LOCK_NB', 0x4],
  ['LOCK_UN', 0x8],
];

/** preadv2/pwritev2 flags. */
export const RWF_FLAGS: Xlat = [
  ['RWF_HIPRI', 0x1],
  ['RWF_DSYNC', 0x2],
  ['RWF_SYNC', 0x4],
  ['RWF_NOWAIT', 0x8],
  ['RWF_APPEND', 0x10],
];

/** struct open_how's resolve field (openat2). */
export const RESOLVE_FLAGS: Xlat = [
  ['RESOLVE_NO_XDEV', 0x1],
  ['RESOLVE_NO_MAGICLINKS', 0x2],
  ['RESOLVE_NO_SYMLINKS', 0x4],
  ['RESOLVE_BENEATH', 0x8],
  ['RESOLVE_IN_ROOT', 0x10],
  ['RESOLVE_CACHED', 0x20],
];

/** statx's flags: the sync type (flags & 0x6000) is a value, printed first. */
export const STATX_SYNC_TYPES: Xlat = [
  ['AT_STATX_SYNC_AS_STAT', 0],
  ['AT_STATX_FORCE_SYNC', 0x2000],
  ['AT_STATX_DONT_SYNC', 0x4000],
];
export const STATX_SYNC_MASK = 0x6000;

/** The AT_* flags statx takes besides its sync type. */
export const STATX_AT_FLAGS: Xlat = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_REMOVEDIR', 0x200],
  ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000],
  ['AT_RECURSIVE', 0x8000],
];

export const STATX_MASK: Xlat = [
  ['STATX_ALL', 0xfff],
  ['STATX_BASIC_STATS', 0x7ff],
  ['STATX_TYPE', 0x1],
  ['STATX_MODE', 0x2],
  ['STATX_NLINK', 0x4],
  ['STATX_UID', 0x8],
  ['STATX_GID', 0x10],
  ['STATX_ATIME', 0x20],
  ['STATX_MTIME', 0x40],
  ['STATX_CTIME', 0x80],
  ['STATX_INO', 0x100],
  ['STATX_SIZE', 0x200],
  ['STATX_BLOCKS', 0x400],
  ['STATX_BTIME', 0x800],
  ['STATX_MNT_ID', 0x1000],
  ['STATX_DIOALIGN', 0x2000],
];

export const STATX_ATTRIBUTES: Xlat = [
  ['STATX_ATTR_COMPRESSED', 0x4],
  ['STATX_ATTR_IMMUTABLE', 0x10],
  ['STATX_ATTR_APPEND', 0x20],
  ['STATX_ATTR_NODUMP', 0x40],
  ['STATX_ATTR_ENCRYPTED', 0x800],
  ['STATX_ATTR_AUTOMOUNT', 0x1000],
  ['STATX_ATTR_MOUNT_ROOT', 0x2000],
  ['STATX_ATTR_VERITY', 0x100000],
  ['STATX_ATTR_DAX', 0x200000],
];

/** setxattr's flags. */
export const XATTR_FLAGS: Xlat = [
  ['XATTR_CREATE', 0x1],
  ['XATTR_REPLACE', 0x2],
];

/** The file type, mode & S_IFMT. */
export const FILE_TYPES: Xlat = [
  ['S_IFREG', 0o100000],
  ['S_IFSOCK', 0o140000],
  ['S_IFIFO', 0o10000],
  ['S_IFLNK', 0o120000],
  ['S_IFDIR', 0o40000],
  ['S_IFBLK', 0o60000],
  ['S_IFCHR', 0o20000],
];

/** The mode bits strace names before the octal permissions. */
export const MODE_SPECIAL_BITS: Xlat = [
  ['S_ISUID', 0o4000],
  ['S_ISGID', 0o2000],
  ['S_ISVTX', 0o1000],
];
