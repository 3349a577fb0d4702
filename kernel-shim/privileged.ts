// The calls that need a capability in the initial user namespace (mounting, swap, reboot,
// host names, modules, kexec, accounting, vhangup, I/O ports): the guest never has one there, whatever
// ushim runs as, so each answers as for an unprivileged process in a container: the argument
// errors Linux checks before the capability, then EPERM. Nothing reaches the host.
import { Errno } from './errno.js';
import type { Process } from './process.js';

export const MS_NOUSER = 1 << 31;
const MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;
const SWAP_FLAGS_VALID = 0x7fff | 0x8000 | 0x10000 | 0x20000 | 0x40000;
const MOUNT_ATTR_SIZE_VER0 = 32;
const AT_EMPTY_PATH = 0x1000, AT_RECURSIVE = 0x8000, AT_SYMLINK_NOFOLLOW = 0x100, AT_NO_AUTOMOUNT = 0x800;
const PAGE_SIZE = 4096;
/** 65536 ports: the bits of the I/O permission bitmap. */
const IO_BITMAP_BITS = 65536;

/** A string or path argument as the syscall layer read it: its value, or the errno reading failed with. */
type Read = string | number | null;

function failed(...args: Read[]): number | undefined {
  return args.find((a): a is number => typeof a === 'number');
}

/** The lookup of a path argument: its error (ENOENT, ENOTDIR, ELOOP...), or 0. */
function lookupError(p: Process, path: string, follow: boolean): number {
  const st = p.vfs.stat(path, follow, p.fs.current());
  return typeof st === 'number' ? st : 0;
}

/** mount(2): the strings (type, source, data) are copied, the target looked up, MS_NOUSER refused, then EPERM. */
export function mountCall(p: Process, type: Read, source: Read, data: Read, target: Read, flags: number): number {
  const err = failed(type, source, data, target);
  if (err !== undefined) return err;
  const lookup = lookupError(p, target as string, true);
  if (lookup < 0) return lookup;
  return flags & MS_NOUSER ? -Errno.EINVAL : -Errno.EPERM;
}

/** umount2(2): flags, then the lookup of the target, then EPERM (may_mount). */
export function umountCall(p: Process, target: Read, flags: number): number {
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -Errno.EINVAL;
  if (typeof target === 'number') return target;
  const lookup = lookupError(p, target ?? '', (flags & UMOUNT_NOFOLLOW) === 0);
  return lookup < 0 ? lookup : -Errno.EPERM;
}

/** mount_setattr(2): flags and the struct's size, then EPERM. */
export function mountSetattrCall(flags: number, size: number): number {
  if (flags & ~(AT_EMPTY_PATH | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT)) return -Errno.EINVAL;
  if (size > PAGE_SIZE) return -Errno.E2BIG;
  if (size < MOUNT_ATTR_SIZE_VER0) return -Errno.EINVAL;
  return -Errno.EPERM;
}

const FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_SET_BINARY = 2, FSCONFIG_SET_PATH = 3, FSCONFIG_SET_PATH_EMPTY = 4,
  FSCONFIG_SET_FD = 5, FSCONFIG_CMD_CREATE = 6, FSCONFIG_CMD_RECONFIGURE = 7, FSCONFIG_CMD_CREATE_EXCL = 8;
const AT_FDCWD = -100;

/** fsconfig's check of its arguments for the command (EINVAL), or EOPNOTSUPP for an unknown command. */
function fsconfigArgsError(cmd: number, key: boolean, value: boolean, aux: number): number {
  switch (cmd) {
    case FSCONFIG_SET_FLAG:
      return !key || value || aux !== 0 ? -Errno.EINVAL : 0;
    case FSCONFIG_SET_STRING:
      return !key || !value || aux !== 0 ? -Errno.EINVAL : 0;
    case FSCONFIG_SET_BINARY:
      return !key || !value || aux <= 0 || aux > 1024 * 1024 ? -Errno.EINVAL : 0;
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
      return !key || !value || (aux !== AT_FDCWD && aux < 0) ? -Errno.EINVAL : 0;
    case FSCONFIG_SET_FD:
      return !key || value || aux < 0 ? -Errno.EINVAL : 0;
    case FSCONFIG_CMD_CREATE:
    case FSCONFIG_CMD_RECONFIGURE:
    case FSCONFIG_CMD_CREATE_EXCL:
      return key || value || aux !== 0 ? -Errno.EINVAL : 0;
    default:
      return -Errno.EOPNOTSUPP;
  }
}

/**
 * fsconfig(2) works on a filesystem context from fsopen or fspick, which the guest can never
 * get: after the argument checks, EBADF for a closed fd and EINVAL for any other.
 */
export function fsconfigCall(p: Process, fd: number, cmd: number, key: boolean, value: boolean, aux: number): number {
  if (fd < 0) return -Errno.EINVAL;
  const err = fsconfigArgsError(cmd, key, value, aux);
  if (err < 0) return err;
  const file = p.fds.file(fd);
  return typeof file === 'number' ? -Errno.EBADF : -Errno.EINVAL;
}

/** swapon(2): flags first, then EPERM. */
export function swaponCall(flags: number): number {
  return flags & ~SWAP_FLAGS_VALID ? -Errno.EINVAL : -Errno.EPERM;
}

/** The calls whose capability check comes before everything else. */
export function refused(): number {
  return -Errno.EPERM;
}

/** iopl(level): levels above 3 are EINVAL; raising it needs CAP_SYS_RAWIO; the level stays 0. */
export function iopl(level: number): number {
  if (level < 0 || level > 3) return -Errno.EINVAL;
  return level > 0 ? -Errno.EPERM : 0;
}

/** ioperm(from, num, on): a range past port 65535 (or wrapping) is EINVAL; turning ports on needs CAP_SYS_RAWIO; off is a no-op. */
export function ioperm(from: bigint, num: bigint, on: number): number {
  const end = BigInt.asUintN(64, from + num);
  if (end <= from || end > BigInt(IO_BITMAP_BITS)) return -Errno.EINVAL;
  return on !== 0 ? -Errno.EPERM : 0;
}
