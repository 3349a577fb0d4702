// Sending and receiving on sockets: sendto/recvfrom, sendmsg/recvmsg and their multi-message
// forms, as net/socket.c does them around a family: struct msghdr, iovecs, control
// messages, O_NONBLOCK as MSG_DONTWAIT, waiting, a blocking stream send that goes on where
// it stopped, SIGPIPE unless MSG_NOSIGNAL, and the MSG_TRUNC/MSG_CTRUNC results.
import { Errno } from '../errno.js';
import { O_NONBLOCK } from '../fs/constants.js';
import { releaseFile } from '../fs/fdtable.js';
import { readIovecs } from '../fs/file-io.js';
import { accessOk, userPrefixVec } from '../mm/uaccess.js';
import { hasDeliverable, signalTask } from '../signal/deliver.js';
import { SIGPIPE } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type Block, isBlock } from '../wait.js';
import { buildControl, parseControl } from './cmsg.js';
import { MSG_DONTWAIT, MSG_NOSIGNAL, MSG_TRUNC, SOCK_STREAM } from './constants.js';
import { MSGHDR_OFFSETS, MSGHDR_SIZE, type Msghdr, decodeMsghdr } from './msghdr.js';
import { SOCKADDR_STORAGE_SIZE, readSockaddr, writeSockaddr } from './sockaddr-io.js';
import type { IncomingMessage, Socket } from './socket.js';
import { credentialsOf, socketFd } from './socket-calls.js';
import { waitFor } from './socket-wait.js';

/** UIO_MAXIOV: sendmsg/recvmsg with more iovecs is EMSGSIZE. */
const UIO_MAXIOV = 1024;
/** More control bytes than INT_MAX is ENOBUFS. */
const MAX_CONTROL = 0x7fffffff;

type UserBuffers = { base: number; len: number }[];

/** What sendmsg takes, already out of user memory except the data. */
interface SendRequest {
  iovs: UserBuffers;
  addr: Uint8Array | null;
  control: Uint8Array | null;
  flags: number;
  /** Identifies the call (its buffer or msghdr address) so a blocked stream send resumes. */
  key: number;
}

function nonblockingFlags(socket: Socket, flags: number): number {
  return socket.flags & O_NONBLOCK ? flags | MSG_DONTWAIT : flags;
}

/** The bytes to send: all of them, or for a stream the readable prefix (EFAULT when none). */
function gather(t: Task, socket: Socket, iovs: UserBuffers): Uint8Array | number {
  const total = iovs.reduce((n, v) => n + v.len, 0);
  const valid = total === 0 ? 0 : userPrefixVec(t.process.mm, iovs, false);
  if (valid < total && (socket.type !== SOCK_STREAM || valid === 0)) return -Errno.EFAULT;
  const data = new Uint8Array(valid);
  let off = 0;
  for (const v of iovs) {
    const n = Math.min(v.len, valid - off);
    if (n <= 0) break;
    const part = t.process.mm.read(v.base, n);
    if (part === null) return -Errno.EFAULT;
    data.set(part, off);
    off += n;
  }
  return data;
}

/** EPIPE raises SIGPIPE for stream sockets only: AF_UNIX datagram and seqpacket sends do not. */
function raisePipe(t: Task, socket: Socket, r: number, flags: number): number {
  if (r === -Errno.EPIPE && socket.type === SOCK_STREAM && !(flags & MSG_NOSIGNAL)) {
    signalTask(t.kernel, t, { signo: SIGPIPE, errno: 0, code: 0, layout: 'kill', pid: t.process.pid, uid: t.process.uid });
  }
  return r;
}

function send(t: Task, socket: Socket, req: SendRequest): number | Block {
  const flags = nonblockingFlags(socket, req.flags);
  const data = gather(t, socket, req.iovs);
  if (typeof data === 'number') return data;
  const partial = t.kernel.partialWrites;
  const before = socket.type === SOCK_STREAM ? partial.take(t, socket, req.key, data.length) : 0;
  const parsed = req.control === null ? { rights: [], creds: null, control: [] } : parseControl(t, socket.family, req.control);
  if (typeof parsed === 'number') return parsed;
  // A resumed stream send passed its descriptions with the first part already.
  if (before > 0) for (const f of parsed.rights.splice(0)) releaseFile(f);
  const r = socket.sendmsg(t, {
    data: data.subarray(before), addr: req.addr, rights: parsed.rights, creds: parsed.creds ?? credentialsOf(t),
    explicitCreds: parsed.creds !== null, control: parsed.control, flags,
  });
  const done = before + Math.max(r, 0);
  if (r >= 0 && done === data.length) {
    t.kernel.net.callDone(t);
    return done;
  }
  if (r >= 0 || (r === -Errno.EAGAIN && done > 0)) {
    // A stream send went out in part: a blocking one waits for room and goes on (passed fds
    // went with the first part); a non-blocking one, a timeout or a signal returns the count.
    const waited = hasDeliverable(t) ? -Errno.EINTR : waitFor(t, socket, 'out', -Errno.EAGAIN, flags);
    if (!isBlock(waited)) return done;
    partial.keep(t, { file: socket, addr: req.key, count: data.length, done });
    return waited;
  }
  return raisePipe(t, socket, waitFor(t, socket, 'out', r, flags) as number, flags);
}

/** Copies received bytes into the iovecs, in order. */
function scatter(t: Task, iovs: UserBuffers, data: Uint8Array): boolean {
  let off = 0;
  for (const v of iovs) {
    if (off >= data.length) break;
    const n = Math.min(v.len, data.length - off);
    if (!t.process.mm.write(v.base, data.subarray(off, off + n))) return false;
    off += n;
  }
  return true;
}

/** A received message whose data is in the caller's buffers; `flags` are msg_flags so far. */
function receive(t: Task, socket: Socket, iovs: UserBuffers, rawFlags: number): IncomingMessage | number | Block {
  const flags = nonblockingFlags(socket, rawFlags);
  const total = iovs.reduce((n, v) => n + v.len, 0);
  const valid = total === 0 ? 0 : userPrefixVec(t.process.mm, iovs, true);
  if (total > 0 && valid === 0) return -Errno.EFAULT;
  const r = waitFor(t, socket, 'in', socket.recvmsg(valid, flags), flags);
  if (typeof r === 'number' || isBlock(r)) return r;
  if (!scatter(t, iovs, r.data)) return -Errno.EFAULT;
  return r;
}

/** recv's result: the bytes landed, or with MSG_TRUNC a datagram's whole length. */
function receivedCount(socket: Socket, msg: IncomingMessage, flags: number): number {
  return flags & MSG_TRUNC && socket.type !== SOCK_STREAM ? msg.length : msg.data.length;
}

function truncFlag(msg: IncomingMessage): number {
  return msg.length > msg.data.length ? MSG_TRUNC : 0;
}

export function sendtoCall(t: Task, fd: number, buf: number, len: number, flags: number, addr: number, addrLen: number): number | Block {
  if (!accessOk(buf, len)) return -Errno.EFAULT;
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const name = addr === 0 ? null : readSockaddr(t, addr, addrLen);
  if (typeof name === 'number') return name;
  return send(t, socket, { iovs: [{ base: buf, len }], addr: name, control: null, flags, key: buf });
}

export function recvfromCall(t: Task, fd: number, buf: number, len: number, flags: number, addr: number, lenAddr: number): number | Block {
  if (!accessOk(buf, len)) return -Errno.EFAULT;
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const r = receive(t, socket, [{ base: buf, len }], flags);
  if (typeof r === 'number' || isBlock(r)) return r;
  // No control buffer: passed descriptions are dropped, as Linux closes them.
  for (const f of r.rights) releaseFile(f);
  if (addr !== 0) {
    const stored = writeSockaddr(t, addr, lenAddr, r.addr ?? new Uint8Array(0));
    if (stored < 0) return stored;
  }
  return receivedCount(socket, r, flags);
}

/** msg_iov as import_iovec checks it for a socket call (EMSGSIZE for too many). */
function messageIovecs(t: Task, hdr: Msghdr): UserBuffers | number {
  if (hdr.iovlen > BigInt(UIO_MAXIOV)) return -Errno.EMSGSIZE;
  return hdr.iovlen === 0n ? [] : readIovecs(t, Number(hdr.iov), Number(hdr.iovlen));
}

function readMsghdr(t: Task, addr: number): Msghdr | number {
  const raw = t.process.mm.read(addr, MSGHDR_SIZE);
  return raw === null ? -Errno.EFAULT : decodeMsghdr(new DataView(raw.buffer));
}

export function sendOne(t: Task, socket: Socket, msgAddr: number, flags: number): number | Block {
  const hdr = readMsghdr(t, msgAddr);
  if (typeof hdr === 'number') return hdr;
  if (hdr.namelen < 0) return -Errno.EINVAL;
  const name = hdr.name === 0n ? null : readSockaddr(t, Number(hdr.name), Math.min(hdr.namelen, SOCKADDR_STORAGE_SIZE));
  if (typeof name === 'number') return name;
  const iovs = messageIovecs(t, hdr);
  if (typeof iovs === 'number') return iovs;
  if (hdr.controllen > BigInt(MAX_CONTROL)) return -Errno.ENOBUFS;
  let control: Uint8Array | null = null;
  if (hdr.controllen > 0n) {
    control = t.process.mm.read(Number(hdr.control), Number(hdr.controllen));
    if (control === null) return -Errno.EFAULT;
  }
  return send(t, socket, { iovs, addr: name, control, flags, key: msgAddr });
}

export function sendmsgCall(t: Task, fd: number, msgAddr: number, flags: number): number | Block {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  return sendOne(t, socket, msgAddr, flags);
}

export function recvOne(t: Task, socket: Socket, msgAddr: number, flags: number): number | Block {
  const hdr = readMsghdr(t, msgAddr);
  if (typeof hdr === 'number') return hdr;
  const iovs = messageIovecs(t, hdr);
  if (typeof iovs === 'number') return iovs;
  if (hdr.controllen > BigInt(MAX_CONTROL)) return -Errno.ENOBUFS;
  const r = receive(t, socket, iovs, flags);
  if (typeof r === 'number' || isBlock(r)) return r;
  const room = hdr.control === 0n ? 0 : Number(hdr.controllen);
  const control = buildControl(t, room, socket.passCred ? r.creds : null, r.control, r.rights, flags);
  const mm = t.process.mm;
  if (control.bytes.length > 0 && !mm.write(Number(hdr.control), control.bytes)) return -Errno.EFAULT;
  if (hdr.name !== 0n) {
    const stored = writeSockaddr(t, Number(hdr.name), msgAddr + MSGHDR_OFFSETS.namelen, r.addr ?? new Uint8Array(0));
    if (stored < 0) return stored;
  }
  const tail = new DataView(new ArrayBuffer(16));
  tail.setBigUint64(0, BigInt(control.bytes.length), true);
  tail.setInt32(8, r.flags | truncFlag(r) | control.flags, true);
  if (!mm.write(msgAddr + MSGHDR_OFFSETS.controllen, new Uint8Array(tail.buffer, 0, 12))) return -Errno.EFAULT;
  return receivedCount(socket, r, flags);
}

export function recvmsgCall(t: Task, fd: number, msgAddr: number, flags: number): number | Block {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  return recvOne(t, socket, msgAddr, flags);
}
