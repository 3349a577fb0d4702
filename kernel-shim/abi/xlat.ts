// Symbolic names of x86-64 syscall constants, listed in the order strace 6.1 prints them:
// a flags table is matched first to last, so an entry that covers several bits (O_SYNC,
// O_TMPFILE) must precede the entries it contains. This file: files and paths; the other
// xlat-*.ts files hold memory, process, signal, event and ioctl names.

/** [name, value] pairs; values are unsigned 32-bit unless noted. */
export type Xlat = readonly (readonly [string, number])[];

/** Names of consecutive values first, first + 1, ... (commands, enumerations). */
export function numberedFrom(first: number, names: readonly string[]): [string, number][] {
  return names.map((name, i) => [name, first + i]);
}

/** Names of consecutive bits first, first * 2, ... (flags in bit order). */
export function bitsFrom(first: number, names: readonly string[]): [string, number][] {
  return names.map((name, i) => [name, first * 2 ** i]);
}

export const OPEN_ACCESS_MODES: Xlat = numberedFrom(0, ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE']);

export const OPEN_FLAGS: Xlat = [
  ...bitsFrom(0x40, ['O_CREAT', 'O_EXCL', 'O_NOCTTY', 'O_TRUNC', 'O_APPEND', 'O_NONBLOCK']),
  ['O_SYNC', 0x101000],
  ['__O_SYNC', 0x100000],
  ['O_DSYNC', 0x1000],
  ['O_DIRECT', 0x4000],
  ['O_LARGEFILE', 0x8000],
  ...bitsFrom(0x20000, ['O_NOFOLLOW', 'O_NOATIME', 'O_CLOEXEC']),
  ['O_PATH', 0x200000],
  ['O_TMPFILE', 0x410000],
  ['__O_TMPFILE', 0x400000],
  ['O_DIRECTORY', 0x10000],
  ['FASYNC', 0x2000],
];

export const AT_FLAGS: Xlat = [
  ...bitsFrom(0x100, [
    'AT_SYMLINK_NOFOLLOW', 'AT_REMOVEDIR', 'AT_SYMLINK_FOLLOW', 'AT_NO_AUTOMOUNT', 'AT_EMPTY_PATH',
  ]),
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

export const WHENCE: Xlat = numberedFrom(0, ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE']);

export const FCNTL_CMDS: Xlat = [
  ...numberedFrom(0, [
    'F_DUPFD', 'F_GETFD', 'F_SETFD', 'F_GETFL', 'F_SETFL', 'F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_SETOWN',
    'F_GETOWN', 'F_SETSIG', 'F_GETSIG',
  ]),
  ...numberedFrom(15, ['F_SETOWN_EX', 'F_GETOWN_EX', 'F_GETOWNER_UIDS']),
  ...numberedFrom(36, ['F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW']),
  ...numberedFrom(1024, ['F_SETLEASE', 'F_GETLEASE', 'F_NOTIFY']),
  ...numberedFrom(1029, [
    'F_CANCELLK', 'F_DUPFD_CLOEXEC', 'F_SETPIPE_SZ', 'F_GETPIPE_SZ', 'F_ADD_SEALS', 'F_GET_SEALS',
    'F_GET_RW_HINT', 'F_SET_RW_HINT', 'F_GET_FILE_RW_HINT', 'F_SET_FILE_RW_HINT',
  ]),
];

export const FD_FLAGS: Xlat = [['FD_CLOEXEC', 1]];

export const MFD_FLAGS: Xlat = bitsFrom(0x1, [
  'MFD_CLOEXEC', 'MFD_ALLOW_SEALING', 'MFD_HUGETLB', 'MFD_NOEXEC_SEAL', 'MFD_EXEC',
]);

export const CLOSE_RANGE_FLAGS: Xlat = [['CLOSE_RANGE_UNSHARE', 0x2], ['CLOSE_RANGE_CLOEXEC', 0x4]];

export const RENAME_FLAGS: Xlat = bitsFrom(0x1, ['RENAME_NOREPLACE', 'RENAME_EXCHANGE', 'RENAME_WHITEOUT']);

export const SYNC_FILE_RANGE_FLAGS: Xlat = bitsFrom(0x1, [
  'SYNC_FILE_RANGE_WAIT_BEFORE', 'SYNC_FILE_RANGE_WRITE', 'SYNC_FILE_RANGE_WAIT_AFTER',
]);

export const FADVISE_ADVICE: Xlat = numberedFrom(0, [
  'POSIX_FADV_NORMAL', 'POSIX_FADV_RANDOM', 'POSIX_FADV_SEQUENTIAL', 'POSIX_FADV_WILLNEED',
  'POSIX_FADV_DONTNEED', 'POSIX_FADV_NOREUSE',
]);

export const FLOCK_OPS: Xlat = bitsFrom(0x1, ['LOCK_SH', 'LOCK_EX', 'LOCK_NB', 'LOCK_UN']);

/** preadv2/pwritev2 flags. */
export const RWF_FLAGS: Xlat = bitsFrom(0x1, [
  'RWF_HIPRI', 'RWF_DSYNC', 'RWF_SYNC', 'RWF_NOWAIT', 'RWF_APPEND',
]);

/** struct open_how's resolve field (openat2). */
export const RESOLVE_FLAGS: Xlat = bitsFrom(0x1, [
  'RESOLVE_NO_XDEV', 'RESOLVE_NO_MAGICLINKS', 'RESOLVE_NO_SYMLINKS', 'RESOLVE_BENEATH', 'RESOLVE_IN_ROOT',
  'RESOLVE_CACHED',
]);

/** statx's flags: the sync type (flags & 0x6000) is a value, printed first. */
export const STATX_SYNC_TYPES: Xlat = [
  ['AT_STATX_SYNC_AS_STAT', 0],
  ['AT_STATX_FORCE_SYNC', 0x2000],
  ['AT_STATX_DONT_SYNC', 0x4000],
];
export const STATX_SYNC_MASK = 0x6000;

/** The AT_* flags statx takes besides its sync type. */
export const STATX_AT_FLAGS: Xlat = AT_FLAGS;

export const STATX_MASK: Xlat = [
  ['STATX_ALL', 0xfff],
  ['STATX_BASIC_STATS', 0x7ff],
  ...bitsFrom(0x1, [
    'STATX_TYPE', 'STATX_MODE', 'STATX_NLINK', 'STATX_UID', 'STATX_GID', 'STATX_ATIME', 'STATX_MTIME',
    'STATX_CTIME', 'STATX_INO', 'STATX_SIZE', 'STATX_BLOCKS', 'STATX_BTIME', 'STATX_MNT_ID', 'STATX_DIOALIGN',
  ]),
];

export const STATX_ATTRIBUTES: Xlat = [
  ['STATX_ATTR_COMPRESSED', 0x4],
  ...bitsFrom(0x10, ['STATX_ATTR_IMMUTABLE', 'STATX_ATTR_APPEND', 'STATX_ATTR_NODUMP']),
  ...bitsFrom(0x800, ['STATX_ATTR_ENCRYPTED', 'STATX_ATTR_AUTOMOUNT', 'STATX_ATTR_MOUNT_ROOT']),
  ['STATX_ATTR_VERITY', 0x100000],
  ['STATX_ATTR_DAX', 0x200000],
];

/** setxattr's flags. */
export const XATTR_FLAGS: Xlat = [['XATTR_CREATE', 0x1], ['XATTR_REPLACE', 0x2]];

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
