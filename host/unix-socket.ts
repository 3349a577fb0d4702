// Host AF_UNIX sockets through koffi, for a guest that connects to a socket a host process
// listens on (by a socket file, or by an abstract name under --net=host): always non-blocking (SOCK_NONBLOCK, MSG_DONTWAIT), so no call stalls ushim.
// Results are the call's value or -errno (the host is x86-64 Linux: its errno numbers are
// the guest's).
import koffi from 'koffi';
import { libcCalls } from './libc.js';

const libc = koffi.load('libc.so.6');
const calls = {
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  connect: libc.func('int connect(int fd, const uint8_t *addr, uint32_t len)'),
  send: libc.func('long send(int fd, const uint8_t *buf, size_t len, int flags)'),
  recv: libc.func('long recv(int fd, _Out_ uint8_t *buf, size_t len, int flags)'),
  shutdown: libc.func('int shutdown(int fd, int how)'),
  getpeername: libc.func('int getpeername(int fd, _Out_ uint8_t *addr, _Inout_ uint32_t *len)'),
};

const AF_UNIX = 1;
const SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
const MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
/** offsetof(struct sockaddr_un, sun_path) and sizeof(sun_path). */
const SUN_PATH_OFFSET = 2, SUN_PATH_SIZE = 108;

function result(r: number | bigint): number {
  const n = Number(r);
  return n < 0 ? -libcCalls.errno() : n;
}

/** struct sockaddr_un for a path (a /proc/self/fd/N link of a file ushim holds), or -ENAMETOOLONG. */
export function hostPathSockaddr(path: string): Uint8Array | number {
  const name = Buffer.from(path, 'latin1'); // a byte string
  if (name.length >= SUN_PATH_SIZE) return -36; // ENAMETOOLONG
  const addr = new Uint8Array(SUN_PATH_OFFSET + name.length + 1);
  addr[0] = AF_UNIX;
  addr.set(name, SUN_PATH_OFFSET);
  return addr;
}

/**
 * A new non-blocking host socket of `type` connected to `sockaddr` (a struct sockaddr_un:
 * a path ushim made with hostPathSockaddr, never one a guest wrote, or an abstract name).
 * The fd, or -errno (EAGAIN: the listener's backlog is full).
 */
export function connectHostUnix(sockaddr: Uint8Array, type: number): number {
  const fd = result(calls.socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd < 0) return fd;
  const r = result(calls.connect(fd, sockaddr, sockaddr.length));
  if (r < 0) {
    libcCalls.close(fd);
    return r;
  }
  return fd;
}

export function sendHostUnix(fd: number, data: Uint8Array, flags: number): number {
  return result(calls.send(fd, data, data.length, flags | MSG_DONTWAIT | MSG_NOSIGNAL));
}

/** recv into buf: the count (with MSG_TRUNC a datagram's whole length), or -errno. */
export function recvHostUnix(fd: number, buf: Uint8Array, flags: number): number {
  return result(calls.recv(fd, buf, buf.length, flags | MSG_DONTWAIT));
}

/** The peer's address as the host kernel reports it (the name the server bound), or -errno. */
export function peerNameHostUnix(fd: number): Uint8Array | number {
  const addr = new Uint8Array(128);
  const len = new Uint32Array([addr.length]);
  const r = result(calls.getpeername(fd, addr, len));
  return r < 0 ? r : addr.slice(0, Math.min(len[0], addr.length));
}

export function shutdownHostUnix(fd: number, how: number): number {
  return result(calls.shutdown(fd, how));
}

/** The host's poll bits for fd now (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLRDHUP). */
export function pollHostUnix(fd: number): number {
  const buf = Buffer.alloc(8);
  buf.writeInt32LE(fd, 0);
  buf.writeInt16LE(0x1 | 0x4 | 0x2000, 4);
  return libcCalls.poll(buf, 1, 0) > 0 ? buf.readUInt16LE(6) : 0;
}

export function closeHostUnix(fd: number): void {
  libcCalls.close(fd);
}
