// Host netlink sockets through libc (Node has no netlink API): ushim asks the host kernel's
// rtnetlink for what a guest reads (links, addresses, routes) with --net=host. Every socket is
// non-blocking and every call passes MSG_DONTWAIT: no host call may block ushim.
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
koffi.struct('ushim_nl_iovec', { base: 'uint8_t *', len: 'size_t' });
koffi.struct('ushim_nl_msghdr', {
  name: 'uint8_t *', namelen: 'uint32_t', iov: 'ushim_nl_iovec *', iovlen: 'size_t',
  control: 'uint8_t *', controllen: 'size_t', flags: 'int',
});
const calls = {
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  bind: libc.func('int bind(int fd, const uint8_t *addr, uint32_t len)'),
  getsockname: libc.func('int getsockname(int fd, _Out_ uint8_t *addr, _Inout_ uint32_t *len)'),
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const uint8_t *value, uint32_t len)'),
  sendto: libc.func('int64_t sendto(int fd, const uint8_t *buf, size_t len, int flags, const uint8_t *addr, uint32_t addrlen)'),
  recvmsg: libc.func('int64_t recvmsg(int fd, _Inout_ ushim_nl_msghdr *msg, int flags)'),
  close: libc.func('int close(int fd)'),
};

const AF_NETLINK = 16;
const SOCK_RAW_NONBLOCK_CLOEXEC = 3 | 0x800 | 0x80000;
const MSG_TRUNC = 0x20;
const MSG_DONTWAIT = 0x40;
const SOCKADDR_NL_SIZE = 12;

function result(r: number | bigint): number {
  const n = Number(r);
  return n < 0 ? -koffi.errno() : n;
}

function sockaddrNl(pid: number, groups: number): Buffer {
  const addr = Buffer.alloc(SOCKADDR_NL_SIZE);
  addr.writeUInt16LE(AF_NETLINK, 0);
  addr.writeUInt32LE(pid >>> 0, 4);
  addr.writeUInt32LE(groups >>> 0, 8);
  return addr;
}

/** A new host netlink socket of `protocol`: its fd, or -errno. */
export function hostNetlinkSocket(protocol: number): number {
  return result(calls.socket(AF_NETLINK, SOCK_RAW_NONBLOCK_CLOEXEC, protocol));
}

export function hostNetlinkBind(fd: number, pid: number, groups: number): number {
  return result(calls.bind(fd, sockaddrNl(pid, groups), SOCKADDR_NL_SIZE));
}

/** The port id the host kernel gave the socket (0 before it is bound), or -errno. */
export function hostNetlinkPortId(fd: number): number {
  const addr = Buffer.alloc(SOCKADDR_NL_SIZE);
  const len = [SOCKADDR_NL_SIZE];
  const r = result(calls.getsockname(fd, addr, len));
  return r < 0 ? r : addr.readInt32LE(4);
}

export function hostNetlinkSetIntOption(fd: number, level: number, name: number, value: number): number {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value | 0, 0);
  return result(calls.setsockopt(fd, level, name, v, 4));
}

/** Sends data to the host kernel (port 0): bytes sent or -errno. */
export function hostNetlinkSend(fd: number, data: Uint8Array, flags: number): number {
  return result(calls.sendto(fd, data, data.length, flags | MSG_DONTWAIT, sockaddrNl(0, 0), SOCKADDR_NL_SIZE));
}

export interface HostNetlinkDatagram {
  /** The bytes received (at most the length asked for). */
  data: Uint8Array;
  /** The datagram's whole length. */
  length: number;
  /** The sender's sockaddr_nl. */
  addr: Uint8Array;
  /** The control messages, as struct cmsghdr bytes. */
  control: Uint8Array;
  /** msg_flags (MSG_TRUNC, MSG_CTRUNC). */
  flags: number;
}

/** Receives one datagram of at most `length` bytes (MSG_PEEK passes through): -EAGAIN when none waits. */
export function hostNetlinkReceive(fd: number, length: number, flags: number, controlRoom: number): HostNetlinkDatagram | number {
  const data = Buffer.alloc(length);
  const name = Buffer.alloc(SOCKADDR_NL_SIZE);
  const control = Buffer.alloc(controlRoom);
  const msg = {
    name, namelen: SOCKADDR_NL_SIZE, iov: [{ base: data, len: length }], iovlen: 1,
    control: controlRoom > 0 ? control : null, controllen: controlRoom, flags: 0,
  };
  const n = result(calls.recvmsg(fd, msg, flags | MSG_TRUNC | MSG_DONTWAIT));
  if (n < 0) return n;
  return {
    data: new Uint8Array(data.subarray(0, Math.min(n, length))), length: n, addr: new Uint8Array(name),
    control: new Uint8Array(control.subarray(0, msg.controllen)), flags: msg.flags,
  };
}

export function hostNetlinkClose(fd: number): void {
  calls.close(fd);
}
