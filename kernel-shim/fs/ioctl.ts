// ioctl(2) on a task's fd: the generic fd ioctls (close-on-exec, non-blocking), files that
// copy their own structs (userfaultfd), and the terminal and FIONREAD ioctls of files,
// whose fixed-size argument is copied in or out here.
import { Errno } from '../errno.js';
import { socketOf } from '../net/socket.js';
import type { Task } from '../task.js';
import { FIONREAD, O_NONBLOCK, TCGETS, TCSETS, TCSETSF, TCSETSW, TIOCGWINSZ, TIOCSWINSZ } from './constants.js';

const FIOCLEX = 0x5451, FIONCLEX = 0x5450, FIONBIO = 0x5421, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410;

/** Buffer sizes and directions of the ioctls passed through to files. */
const IOCTL_ARGS = new Map<number, { size: number; out: boolean }>([
  [TCGETS, { size: 36, out: true }], [TCSETS, { size: 36, out: false }], [TCSETSW, { size: 36, out: false }],
  [TCSETSF, { size: 36, out: false }], [TIOCGWINSZ, { size: 8, out: true }], [TIOCSWINSZ, { size: 8, out: false }],
  [FIONREAD, { size: 4, out: true }], [TIOCGPGRP, { size: 4, out: true }], [TIOCSPGRP, { size: 4, out: false }],
]);

/** ioctl(fd, cmd, arg) for task t; arg is the guest address the command's struct lives at. */
export function ioctl(t: Task, fd: number, cmd: number, argAddr: number): number {
  const entry = t.process.fds.get(fd);
  if (entry === undefined) return -Errno.EBADF;
  const mm = t.process.mm;
  switch (cmd) {
    case FIOCLEX:
    case FIONCLEX:
      entry.cloexec = cmd === FIOCLEX;
      return 0;
    case FIONBIO: {
      const v = mm.readU32(argAddr);
      if (v === null) return -Errno.EFAULT;
      entry.file.flags = v !== 0 ? entry.file.flags | O_NONBLOCK : entry.file.flags & ~O_NONBLOCK;
      return 0;
    }
  }
  // Interface requests, which Linux answers on a socket of any family (AF_UNIX for glibc's
  // if_nametoindex); inet sockets answer them themselves.
  if (entry.file.guestIoctl === undefined && socketOf(entry.file) !== null) {
    const r = t.kernel.net.interfaceQuery?.(t, cmd, argAddr);
    if (r !== undefined && r !== null) return r;
  }
  // userfaultfd and /dev/userfaultfd: their ioctls copy their structs in and out themselves.
  if (entry.file.guestIoctl !== undefined) return entry.file.guestIoctl(t, cmd, argAddr);
  const shape = IOCTL_ARGS.get(cmd);
  if (shape === undefined) return entry.file.ioctl(cmd, null);
  let buf: Uint8Array | null;
  if (shape.out) {
    buf = new Uint8Array(shape.size);
  } else {
    buf = mm.read(argAddr, shape.size);
    if (buf === null) return -Errno.EFAULT;
  }
  const r = entry.file.ioctl(cmd, buf);
  if (r >= 0 && shape.out && !mm.write(argAddr, buf)) return -Errno.EFAULT;
  return r;
}
