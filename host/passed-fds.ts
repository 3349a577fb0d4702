// File descriptors passed over an AF_UNIX stream socket (SCM_RIGHTS), which Node's net
// module cannot receive: the warm path's client hands its stdio and working directory to a
// ushim worker this way (emu/serve-worker.ts).
import { hostRecvmsg } from './socket.js';

const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const MSG_CMSG_CLOEXEC = 0x40000000;
/** struct cmsghdr on x86-64: cmsg_len (size_t), cmsg_level, cmsg_type (int); data 8-aligned. */
const CMSG_HEADER = 16;

export interface ReceivedWithFds {
  data: Uint8Array;
  /** The fds received, close-on-exec, in the order they were sent. */
  fds: number[];
}

/** One recvmsg of up to `length` bytes and `maxFds` fds (blocking as the socket is); -errno on failure. */
export function receiveWithFds(fd: number, length: number, maxFds: number): ReceivedWithFds | number {
  const r = hostRecvmsg(fd, length, CMSG_HEADER + 4 * maxFds + 8, MSG_CMSG_CLOEXEC);
  if (typeof r === 'number') return r;
  const fds: number[] = [];
  const control = Buffer.from(r.control.buffer, r.control.byteOffset, r.control.length);
  for (let at = 0; at + CMSG_HEADER <= control.length;) {
    const len = Number(control.readBigUInt64LE(at));
    if (len < CMSG_HEADER || at + len > control.length) break;
    if (control.readInt32LE(at + 8) === SOL_SOCKET && control.readInt32LE(at + 12) === SCM_RIGHTS) {
      for (let i = at + CMSG_HEADER; i + 4 <= at + len; i += 4) fds.push(control.readInt32LE(i));
    }
    at += (len + 7) & ~7;
  }
  return { data: r.data, fds };
}
