// getdents/getdents64: directory entries from the directory's position, as many whole
// records as fit in the caller's buffer; the position moves past those copied out.
import { encodeDirents, encodeDirents64 } from '../abi/dirent.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { SEEK_CUR } from './constants.js';
import { IN_ACCESS } from '../notify/inotify-abi.js';

/** At most this much is encoded per call, whatever buffer size the guest names. */
const MAX_BATCH = 1 << 20;

/** The bytes copied to addr, 0 at the end, EINVAL when not one entry fits, or -errno. */
export function getdents(p: Process, fd: number, addr: number, size: number, wide: boolean): number {
  const file = p.fds.file(fd);
  if (typeof file === 'number') return file;
  const entries = file.readdir();
  if (typeof entries === 'number') return entries;
  // Linux reports every listing, the one that finds the end too.
  p.vfs.notifyFile(file, IN_ACCESS);
  if (entries.length === 0) return 0;
  const buf = new Uint8Array(Math.min(size, MAX_BATCH));
  const position = file.seek(0n, SEEK_CUR);
  const first = typeof position === 'bigint' ? Number(position) : 0;
  const encoded = (wide ? encodeDirents64 : encodeDirents)(new DataView(buf.buffer), 0, buf.length, entries, first);
  if (encoded.count === 0) return -Errno.EINVAL;
  if (!p.mm.write(addr, buf.subarray(0, encoded.bytes))) return -Errno.EFAULT;
  file.advanceDir(encoded.count);
  return encoded.bytes;
}
