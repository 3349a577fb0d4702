// The socket calls other than sending and receiving, as net/socket.c does them around a
// family's operations: fd lookup (EBADF, ENOTSOCK), socket addresses in and out of user
// memory, SOCK_NONBLOCK/SOCK_CLOEXEC, waiting, and option values truncated to optlen.
import { Errno } from '../errno.js';
import { O_NONBLOCK } from '../fs/constants.js';
import { releaseFile } from '../fs/fdtable.js';
import { accessOk } from '../mm/uaccess.js';
import type { Task } from '../task.js';
import { type Block, isBlock } from '../wait.js';
import { SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_TYPE_MASK, SOMAXCONN } from './constants.js';
import { type Socket, type Ucred, socketOf } from './socket.js';
import { type SocketQueries, inheritedSocket } from './inherited-socket.js';
import { readSockaddr, writeSockaddr } from './sockaddr-io.js';
import { waitFor } from './socket-wait.js';

/** AF_MAX: families at or above it are EAFNOSUPPORT without a look. */
const AF_MAX = 46;
/** SOCK_MAX: types at or above it are EINVAL. */
const SOCK_MAX = 11;
const SHUT_RDWR = 2;

/** The socket behind fd: EBADF for no fd, ENOTSOCK for another file. */
export function socketFd(t: Task, fd: number): Socket | number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined) return -Errno.EBADF;
  return socketOf(file) ?? -Errno.ENOTSOCK;
}

/** socketFd for the calls that only look at or tune a socket: an inherited host socket answers them too. */
function queriedSocketFd(t: Task, fd: number): SocketQueries | number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined) return -Errno.EBADF;
  return socketOf(file) ?? inheritedSocket(file) ?? -Errno.ENOTSOCK;
}

/** The caller's ids as SO_PEERCRED and SCM_CREDENTIALS report them. */
export function credentialsOf(t: Task): Ucred {
  return { pid: t.process.pid, uid: t.process.uid, gid: t.process.gid };
}

/** socket(2)'s type argument split: the SOCK_* type and O_NONBLOCK, or EINVAL. */
function splitType(type: number): { type: number; status: number; cloexec: boolean } | number {
  if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -Errno.EINVAL;
  const base = type & SOCK_TYPE_MASK;
  if (base >= SOCK_MAX) return -Errno.EINVAL;
  return { type: base, status: type & SOCK_NONBLOCK ? O_NONBLOCK : 0, cloexec: (type & SOCK_CLOEXEC) !== 0 };
}

export function socketCall(t: Task, domain: number, rawType: number, protocol: number): number {
  const split = splitType(rawType);
  if (typeof split === 'number') return split;
  if (domain < 0 || domain >= AF_MAX) return -Errno.EAFNOSUPPORT;
  const family = t.kernel.net.families.get(domain);
  if (family === undefined) return -Errno.EAFNOSUPPORT;
  const socket = family.create(t, split.type, protocol, split.status);
  if (typeof socket === 'number') return socket;
  return t.process.fds.installNew(socket, split.cloexec);
}

/** socketpair(2): both fds, stored at sv (int[2]); EFAULT closes them again. */
export function socketpairCall(t: Task, domain: number, rawType: number, protocol: number, sv: number): number {
  const split = splitType(rawType);
  if (typeof split === 'number') return split;
  if (domain < 0 || domain >= AF_MAX) return -Errno.EAFNOSUPPORT;
  const family = t.kernel.net.families.get(domain);
  if (family === undefined) return -Errno.EAFNOSUPPORT;
  if (family.pair === undefined) return -Errno.EOPNOTSUPP;
  const pair = family.pair(t, split.type, protocol, split.status);
  if (typeof pair === 'number') return pair;
  const fds = t.process.fds;
  const fd0 = fds.install(pair[0], split.cloexec);
  if (fd0 < 0) {
    releaseFile(pair[0]);
    releaseFile(pair[1]);
    return fd0;
  }
  const fd1 = fds.installNew(pair[1], split.cloexec);
  if (fd1 < 0) {
    fds.close(fd0);
    return fd1;
  }
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setInt32(0, fd0, true);
  view.setInt32(4, fd1, true);
  if (!t.process.mm.write(sv, out)) {
    fds.close(fd0);
    fds.close(fd1);
    return -Errno.EFAULT;
  }
  return 0;
}

export function bindCall(t: Task, fd: number, addr: number, len: number): number {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const sockaddr = readSockaddr(t, addr, len);
  return typeof sockaddr === 'number' ? sockaddr : socket.bind(t, sockaddr);
}

/** connect(2): the address is read before the fd is known to be a socket, as Linux does. */
export function connectCall(t: Task, fd: number, addr: number, len: number): number | Block {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined) return -Errno.EBADF;
  const sockaddr = readSockaddr(t, addr, len);
  if (typeof sockaddr === 'number') return sockaddr;
  const socket = socketOf(file);
  if (socket === null) return -Errno.ENOTSOCK;
  const blocking = !(socket.flags & O_NONBLOCK);
  const r = socket.connect(t, sockaddr, blocking);
  if (isBlock(r) || r !== -Errno.EINPROGRESS || !blocking) return r;
  // A blocking connect waits until the socket polls writable, then asks again; SO_SNDTIMEO
  // ends the wait with EINPROGRESS.
  return waitFor(t, socket, 'out', -Errno.EAGAIN, 0, -Errno.EINPROGRESS);
}

export function listenCall(t: Task, fd: number, backlog: number): number {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  return socket.listen(backlog >>> 0 > SOMAXCONN ? SOMAXCONN : backlog, t);
}

/**
 * accept4(2): the new connection gets the SOCK_NONBLOCK/SOCK_CLOEXEC of flags; when the
 * peer address cannot be stored, the connection is lost, as on Linux.
 */
export function acceptCall(t: Task, fd: number, addr: number, lenAddr: number, flags: number): number | Block {
  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return -Errno.EINVAL;
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const r = waitFor(t, socket, 'in', socket.accept(t, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), 0);
  if (typeof r === 'number' || isBlock(r)) return r;
  const fds = t.process.fds;
  const newFd = fds.installNew(r, (flags & SOCK_CLOEXEC) !== 0);
  if (newFd < 0 || addr === 0) return newFd;
  const peer = r.getpeername();
  const stored = writeSockaddr(t, addr, lenAddr, typeof peer === 'number' ? new Uint8Array(2) : peer);
  if (stored < 0) {
    fds.close(newFd);
    return stored;
  }
  return newFd;
}

export function shutdownCall(t: Task, fd: number, how: number): number {
  const socket = queriedSocketFd(t, fd);
  if (typeof socket === 'number') return socket;
  if (how < 0 || how > SHUT_RDWR) return -Errno.EINVAL;
  return socket.shutdown(how);
}

/** getsockname(2) or getpeername(2). */
export function socketNameCall(t: Task, fd: number, addr: number, lenAddr: number, peer: boolean): number {
  const socket = queriedSocketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const name = peer ? socket.getpeername() : socket.getsockname();
  return typeof name === 'number' ? name : writeSockaddr(t, addr, lenAddr, name);
}

/** getsockopt(2): the value truncated to *optlen, and its stored length written back there. */
export function getsockoptCall(t: Task, fd: number, level: number, name: number, valAddr: number, lenAddr: number): number {
  const socket = queriedSocketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const mm = t.process.mm;
  const len = mm.read(lenAddr, 4);
  if (len === null) return -Errno.EFAULT;
  const wanted = new DataView(len.buffer).getInt32(0, true);
  if (wanted < 0) return -Errno.EINVAL;
  const value = socket.getsockopt(t, level, name);
  if (typeof value === 'number') return value;
  const n = Math.min(wanted, value.length);
  if (n > 0 && !mm.write(valAddr, value.subarray(0, n))) return -Errno.EFAULT;
  new DataView(len.buffer).setInt32(0, n, true);
  return mm.write(lenAddr, len) ? 0 : -Errno.EFAULT;
}

/** The most bytes setsockopt reads of a value (no option Linux knows is larger). */
const MAX_OPTION_BYTES = 1 << 16;

export function setsockoptCall(t: Task, fd: number, level: number, name: number, valAddr: number, len: number): number {
  const socket = queriedSocketFd(t, fd);
  if (typeof socket === 'number') return socket;
  if (len < 0) return -Errno.EINVAL;
  const n = Math.min(len, MAX_OPTION_BYTES);
  if (n > 0 && !accessOk(valAddr, n)) return -Errno.EFAULT;
  const value = n === 0 ? new Uint8Array(0) : t.process.mm.read(valAddr, n);
  if (value === null) return -Errno.EFAULT;
  return socket.setsockopt(t, level, name, value);
}
