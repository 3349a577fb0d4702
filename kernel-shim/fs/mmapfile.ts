// The bridge from an fd to a file mapping: checks the fd as mmap(2) does and describes the
// host file the mapping reads its pages from.
import { Errno } from '../errno.js';
import { mappedFileOf } from '../exec.js';
import type { Kernel } from '../kernel.js';
import type { MmapFile } from '../mm/mapping.js';
import type { Process } from '../process.js';
import { MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE } from '../mm/constants.js';
import { O_PATH, S_IFCHR, S_IFMT, S_IFREG, canRead, canWrite } from './constants.js';
import { retainFile } from './fdtable.js';
import { MemFile } from './memfd.js';

/** MmapFile for fd, null for a file that maps as anonymous memory (/dev/zero), or -errno. */
export function mmapFileOf(k: Kernel, proc: Process, fd: number, flags: number): MmapFile | null | number {
  const file = proc.fds.get(fd)?.file;
  if (file === undefined || file.flags & O_PATH) return -Errno.EBADF;
  if (!canRead(file.flags)) return -Errno.EACCES;
  const st = file.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) === S_IFCHR && file.path === '/dev/zero') return null;
  const type = flags & MAP_TYPE;
  const shared = type === MAP_SHARED || type === MAP_SHARED_VALIDATE;
  if (file instanceof MemFile) {
    const growTo = file.hugetlb ? (bytes: number) => file.growTo(bytes) : undefined;
    return { file: file.mapped, writable: shared && canWrite(file.flags), sharedObject: () => file.object, growTo };
  }
  if ((st.mode & S_IFMT) !== S_IFREG || file.hostFd === undefined) return -Errno.ENODEV;
  let m = k.mappedFiles.get(file);
  if (m === undefined) {
    m = mappedFileOf(file.hostFd, file.path);
    k.mappedFiles.set(file, m);
    retainFile(file);
  }
  const source = m;
  return { file: source, writable: shared && canWrite(file.flags), sharedObject: () => k.sharedObjectFor(source) };
}
