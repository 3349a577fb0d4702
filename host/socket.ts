// Host sockets through koffi: the BSD socket calls of the host C library, for guest sockets
// that are host sockets (AF_INET, AF_INET6). Every socket is created SOCK_NONBLOCK|SOCK_CLOEXEC
// and every send passes MSG_NOSIGNAL: no call here may block ushim's one thread or raise
// SIGPIPE in it. Results are the host's: a value, or the negative errno (Linux's numbers,
// the guest's ABI).
import koffi from 'koffi';
import { libcCalls } from './libc.js';
import { MessageHeader } from './message-header.js';

const libc = koffi.load('libc.so.6');

const calls = {
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  bind: libc.func('int bind(int fd, const uint8_t *addr, uint32_t len)'),
  connect: libc.func('int connect(int fd, const uint8_t *addr, uint32_t len)'),
  listen: libc.func('int listen(int fd, int backlog)'),
  // Addresses, lengths and option values are stored straight into typed arrays (no _Out_
  // copies: koffi marshalling a fresh [len] array each call cost about 2.5 us of accept's 6).
  accept4: libc.func('int accept4(int fd, uint8_t *addr, uint32_t *len, int flags)'),
  getsockname: libc.func('int getsockname(int fd, uint8_t *addr, uint32_t *len)'),
  getpeername: libc.func('int getpeername(int fd, uint8_t *addr, uint32_t *len)'),
  shutdown: libc.func('int shutdown(int fd, int how)'),
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, uint8_t *value, uint32_t *len)'),
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const uint8_t *value, uint32_t len)'),
  // The msghdr is built here with the addresses of the buffers it points at.
  sendmsg: libc.func('intptr_t sendmsg(int fd, const uint8_t *msg, int flags)'),
  recvmsg: libc.func('intptr_t recvmsg(int fd, uint8_t *msg, int flags)'),
  ioctl: libc.func('int ioctl(int fd, unsigned long cmd, uint8_t *arg)'),
  ioctlInt: libc.func('int ioctl(int fd, unsigned long cmd, int32_t *arg)'),
};

const SOCK_NONBLOCK = 0x800;
const SOCK_CLOEXEC = 0x80000;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(struct sockaddr_storage). */
const ADDR_ROOM = 128;

function result(r: number): number {
  return r < 0 ? -libcCalls.errno() : r;
}

/** A new host socket, non-blocking and close-on-exec on the host; its fd or -errno. */
export function hostSocket(domain: number, type: number, protocol: number): number {
  return result(calls.socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
}

export function hostBind(fd: number, addr: Uint8Array): number {
  return result(calls.bind(fd, addr, addr.length));
}

export function hostConnect(fd: number, addr: Uint8Array): number {
  return result(calls.connect(fd, addr, addr.length));
}

export function hostListen(fd: number, backlog: number): number {
  return result(calls.listen(fd, backlog));
}

/**
 * Where the calls below store an address, a length or an int: scratch, as the msghdr below
 * (each call fills them and copies out what it returns).
 */
const nameRoom = new Uint8Array(new ArrayBuffer(ADDR_ROOM));
const lengthRoom = new Uint32Array(1);
const intRoom = new Int32Array(1);

/** The address a call stored in nameRoom, as long as lengthRoom says (at most ADDR_ROOM). */
function storedName(): Uint8Array {
  return nameRoom.slice(0, Math.min(lengthRoom[0], ADDR_ROOM));
}

/** A pending connection (non-blocking and close-on-exec on the host) and its peer address. */
export function hostAccept(fd: number): { fd: number; addr: Uint8Array } | number {
  lengthRoom[0] = ADDR_ROOM;
  const r = calls.accept4(fd, nameRoom, lengthRoom, SOCK_NONBLOCK | SOCK_CLOEXEC);
  return r < 0 ? -libcCalls.errno() : { fd: r, addr: storedName() };
}

function nameOf(call: (fd: number, addr: Uint8Array, len: Uint32Array) => number, fd: number): Uint8Array | number {
  lengthRoom[0] = ADDR_ROOM;
  return call(fd, nameRoom, lengthRoom) < 0 ? -libcCalls.errno() : storedName();
}

export function hostSockName(fd: number): Uint8Array | number {
  return nameOf(calls.getsockname, fd);
}

export function hostPeerName(fd: number): Uint8Array | number {
  return nameOf(calls.getpeername, fd);
}

export function hostShutdown(fd: number, how: number): number {
  return result(calls.shutdown(fd, how));
}

/** An option's value: at most `room` bytes, as long as the host says it is. */
export function hostGetsockopt(fd: number, level: number, name: number, room: number): Uint8Array | number {
  const value = new Uint8Array(room);
  lengthRoom[0] = room;
  return calls.getsockopt(fd, level, name, value, lengthRoom) < 0 ? -libcCalls.errno() : value.subarray(0, Math.min(lengthRoom[0], room));
}

export function hostSetsockopt(fd: number, level: number, name: number, value: Uint8Array): number {
  return result(calls.setsockopt(fd, level, name, value, value.length));
}

/**
 * The msghdr every sendmsg and recvmsg here fills: a scratch area, not state (each call fills
 * it before the host reads it and reads back what it needs before returning).
 */
const header = new MessageHeader();

/** sendmsg(2) of one buffer, to addr (null: the connected peer), with raw control messages. */
export function hostSendmsg(fd: number, data: Uint8Array, addr: Uint8Array | null, control: Uint8Array | null, flags: number): number {
  return result(Number(calls.sendmsg(fd, header.fill(addr, [data], control), flags | MSG_NOSIGNAL)));
}

/** A connected socket's send of the buffers in order (the guest's own pages): bytes sent or -errno. */
export function hostSendFrom(fd: number, buffers: readonly Uint8Array[], flags: number): number {
  return result(Number(calls.sendmsg(fd, header.fill(null, buffers, null), flags | MSG_NOSIGNAL)));
}

/** A stream socket's receive into the buffers in order (the guest's own pages): bytes received or -errno. */
export function hostReceiveInto(fd: number, buffers: readonly Uint8Array[], flags: number): number {
  return result(Number(calls.recvmsg(fd, header.fill(null, buffers, null), flags)));
}

export interface HostReceived {
  /** What recvmsg returned: the bytes received, or a datagram's whole length under MSG_TRUNC. */
  count: number;
  data: Uint8Array;
  addr: Uint8Array | null;
  control: Uint8Array;
  flags: number;
}

/** recvmsg(2) into one buffer of `length` bytes, with `controlRoom` bytes for control messages. */
export function hostRecvmsg(fd: number, length: number, controlRoom: number, flags: number): HostReceived | number {
  const data = new Uint8Array(length);
  const name = new Uint8Array(ADDR_ROOM);
  const control = new Uint8Array(controlRoom);
  const r = Number(calls.recvmsg(fd, header.fill(name, [data], control), flags));
  if (r < 0) return -libcCalls.errno();
  const nameLen = Math.min(header.nameLength, ADDR_ROOM);
  const controlLen = Math.min(header.controlLength, controlRoom);
  return {
    count: r, data: data.subarray(0, Math.min(r, length)), addr: nameLen === 0 ? null : name.slice(0, nameLen),
    control: control.slice(0, controlLen), flags: header.flags,
  };
}

/** An ioctl whose argument is a struct without pointers, read and written in place. */
export function hostIoctl(fd: number, cmd: number, arg: Uint8Array): number {
  return result(calls.ioctl(fd, cmd, arg));
}

/** An ioctl that stores an int (FIONREAD, SIOCOUTQ, SIOCATMARK). */
export function hostIoctlInt(fd: number, cmd: number): number {
  const r = calls.ioctlInt(fd, cmd, intRoom);
  return r < 0 ? -libcCalls.errno() : intRoom[0];
}

/**
 * SIOCGIFCONF: the interface list (struct ifreq entries) in a buffer of `room` bytes, or with
 * `room` null (the caller's ifc_buf is NULL) only the length the list needs.
 */
export function hostInterfaceList(fd: number, cmd: number, room: number | null): { length: number; entries: Uint8Array } | number {
  const buf = new Uint8Array(room ?? 0);
  const ifconf = Buffer.alloc(16);
  ifconf.writeInt32LE(room ?? 0, 0);
  ifconf.writeBigUInt64LE(room === null || room === 0 ? 0n : koffi.address(buf), 8);
  if (room !== null && room === 0) return { length: 0, entries: buf };
  const r = calls.ioctl(fd, cmd, ifconf);
  if (r < 0) return -libcCalls.errno();
  const length = ifconf.readInt32LE(0);
  return { length, entries: buf.subarray(0, Math.min(Math.max(length, 0), buf.length)) };
}

export function hostClose(fd: number): void {
  libcCalls.close(fd);
}
