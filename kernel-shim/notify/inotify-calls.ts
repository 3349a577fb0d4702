// inotify_init1, inotify_add_watch and inotify_rm_watch: the checks in Linux's order, then
// the instance's watch table (inotify-file.ts). Watches name objects by identity, found by
// looking the path up as the guest would.
import { Errno } from '../errno.js';
import { O_CLOEXEC, O_NONBLOCK } from '../fs/constants.js';
import type { PathAt } from '../fs/path-at.js';
import type { Task } from '../task.js';
import { identityKey } from './fsnotify.js';
import {
  ALL_INOTIFY_BITS, IN_DONT_FOLLOW, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, WATCH_KEPT_BITS,
} from './inotify-abi.js';
import { InotifyFile } from './inotify-file.js';

const R_OK = 4;
const S_IFMT = 0o170000, S_IFDIR = 0o040000;

export function inotifyInit(t: Task, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -Errno.EINVAL;
  return t.process.fds.installNew(new InotifyFile(t.process.vfs.notify, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
}

/** EBADF for no fd, EINVAL for an fd that is not an inotify instance. */
function instanceOf(t: Task, fd: number): InotifyFile | number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined) return -Errno.EBADF;
  return file instanceof InotifyFile ? file : -Errno.EINVAL;
}

/**
 * The object must be readable by the caller; IN_ONLYDIR refuses anything but a directory,
 * IN_DONT_FOLLOW watches a final symlink itself. A second watch on one object changes the
 * first (IN_MASK_ADD: adds to its events; IN_MASK_CREATE: EEXIST) and returns its wd.
 */
export function inotifyAddWatch(t: Task, fd: number, at: PathAt | number, rawMask: number): number {
  const mask = rawMask >>> 0;
  if (!(mask & ALL_INOTIFY_BITS)) return -Errno.EINVAL;
  if (mask & IN_MASK_ADD && mask & IN_MASK_CREATE) return -Errno.EINVAL;
  const instance = instanceOf(t, fd);
  if (typeof instance === 'number') return instance;
  if (typeof at === 'number') return at;
  const follow = !(mask & IN_DONT_FOLLOW);
  const vfs = t.process.vfs;
  const st = vfs.stat(at.path, follow, at.dir);
  if (typeof st === 'number') return st;
  if (mask & IN_ONLYDIR && (st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
  const denied = vfs.access(at.path, R_OK, at.dir, follow);
  if (denied < 0) return denied;
  const key = identityKey(st.dev, st.ino);
  const existing = instance.watchOn(key);
  if (existing === undefined) return instance.addWatch(key, mask & WATCH_KEPT_BITS);
  if (mask & IN_MASK_CREATE) return -Errno.EEXIST;
  existing.mask = (mask & WATCH_KEPT_BITS) | (mask & IN_MASK_ADD ? existing.mask : 0);
  return existing.wd;
}

export function inotifyRmWatch(t: Task, fd: number, wd: number): number {
  const instance = instanceOf(t, fd);
  return typeof instance === 'number' ? instance : instance.removeWatch(wd);
}
