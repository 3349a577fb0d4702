// The fds ushim itself inherited (its stdio and whatever its parent left open without
// close-on-exec) as the first process's descriptions, as an exec'd program receives them.
import * as fs from 'node:fs';
import { O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDWR, statusFlags } from './constants.js';
import type { OpenFile } from './file.js';
import { readHostLink } from './hostat.js';
import { HostFile, hostFdInfo } from './hostfile.js';
import type { PageCache } from '../mm/pagecache.js';

const HOST_O_CLOEXEC = 0o2000000;

/**
 * Descriptions for the fds ushim inherited, indexed by fd (a sparse array): 0, 1 and 2
 * unless closed, and every other fd without close-on-exec, which is how an exec'd program
 * receives them (every fd Node opens for itself has close-on-exec).
 */
export function openStdio(pageCache?: PageCache): (OpenFile | undefined)[] {
  const out: (OpenFile | undefined)[] = [];
  let fds: number[];
  try {
    fds = fs.readdirSync('/proc/self/fd').map(Number);
  } catch {
    fds = [0, 1, 2];
  }
  for (const fd of fds) {
    const info = hostFdInfo(fd);
    if (fd > 2 && (info === undefined || info.flags & HOST_O_CLOEXEC)) continue;
    const file = inheritedFile(fd, info?.flags ?? O_RDWR, pageCache);
    if (file !== undefined) out[fd] = file;
  }
  return out;
}

function inheritedFile(fd: number, hostStatus: number, pageCache: PageCache | undefined): OpenFile | undefined {
  let st: fs.BigIntStats;
  try {
    st = fs.fstatSync(fd, { bigint: true });
  } catch {
    return undefined;
  }
  let path: string;
  try {
    path = readHostLink(`/proc/self/fd/${fd}`);
  } catch {
    path = fd <= 2 ? `/dev/${['stdin', 'stdout', 'stderr'][fd]}` : `/proc/self/fd/${fd}`;
  }
  // Node puts its stdio pipes and terminals in non-blocking mode for itself (a stdout
  // shared with stderr by 2>&1 included): the guest starts with the blocking view a natively
  // started program has, and blocking-io.ts waits for room when the host says EAGAIN.
  const keep = fd <= 2 ? O_ACCMODE | O_APPEND : O_ACCMODE | O_APPEND | O_NONBLOCK;
  const flags = statusFlags(hostStatus & keep);
  const seekable = st.isFile() || st.isBlockDevice();
  return new HostFile({ path, flags, fd, seekable, inherited: true, pageCache });
}
