// A socket: the open file description a socket fd points at (Linux's struct socket and its
// file). Families (net/unix/, net/inet/, net/netlink/) implement the protocol operations on
// raw sockaddr bytes and decoded messages; net/socket-calls.ts and net/msg-calls.ts do what
// every family shares (user memory, blocking and timeouts, SIGPIPE, control messages, fd
// installation), as Linux's net/socket.c does around the proto_ops.
import { Errno } from '../errno.js';
import { BaseFile } from '../fs/basefile.js';
import { O_RDWR, S_IFSOCK } from '../fs/constants.js';
import type { FileStat, OpenFile } from '../fs/file.js';
import { releaseFile } from '../fs/fdtable.js';
import type { Task } from '../task.js';
import type { Block, WaitQueue } from '../wait.js';
import {
  DEFAULT_SOCKET_BUFFER, SOL_SOCKET, SO_ACCEPTCONN, SO_BROADCAST, SO_DEBUG, SO_DOMAIN, SO_DONTROUTE, SO_ERROR, SO_KEEPALIVE,
  SO_LINGER, SO_OOBINLINE, SO_PASSCRED, SO_PROTOCOL, SO_RCVBUF, SO_RCVBUFFORCE, SO_RCVLOWAT, SO_RCVTIMEO, SO_REUSEADDR,
  SO_REUSEPORT, SO_SNDBUF, SO_SNDBUFFORCE, SO_SNDLOWAT, SO_SNDTIMEO, SO_TYPE,
} from './constants.js';
import { decodeSocketTimeout, encodeSocketTimeout, intOption, readIntOption } from './sockopt-values.js';

/** struct ucred: who sent a message (SCM_CREDENTIALS) or connected (SO_PEERCRED). */
export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
}

/** A control message of a level other than SOL_SOCKET (IP_PKTINFO, ...): the family's own. */
export interface ControlMessage {
  level: number;
  type: number;
  data: Uint8Array;
}

/** What sendmsg hands a family: data and control messages already read from user memory. */
export interface OutgoingMessage {
  data: Uint8Array;
  /** msg_name as the caller passed it (at most 128 bytes), or null. */
  addr: Uint8Array | null;
  /**
   * SCM_RIGHTS: descriptions each retained for this message. The family owns these
   * references: it hands them to the receiver or releases them (fdtable.ts releaseFile).
   */
  rights: OpenFile[];
  /** SCM_CREDENTIALS as sent (checked against the sender), or the sender's own ids. */
  creds: Ucred;
  /** Whether creds were sent explicitly as SCM_CREDENTIALS. */
  explicitCreds: boolean;
  control: ControlMessage[];
  /** MSG_* flags of the call. */
  flags: number;
}

/** What a family's recvmsg returns; net/msg-calls.ts copies it out. */
export interface IncomingMessage {
  /** The bytes for the caller's buffer (at most the length asked for). */
  data: Uint8Array;
  /** The datagram's whole length (MSG_TRUNC reports it); data.length for streams. */
  length: number;
  /** The sender's address (msg_name, recvfrom's src_addr), or null for none. */
  addr: Uint8Array | null;
  /** SCM_RIGHTS received: references the caller now owns (installed, or released if no room). */
  rights: OpenFile[];
  /** The sender's credentials, given to a receiver with SO_PASSCRED; null: none known. */
  creds: Ucred | null;
  control: ControlMessage[];
  /** MSG_EOR, MSG_OOB, ...: flags the family reports (MSG_TRUNC and MSG_CTRUNC are added generically). */
  flags: number;
}

export type SockoptValue = Uint8Array | number;

/**
 * Socket operations. Every method returns a result or a negative errno; -EAGAIN means the
 * call would block (the generic layer parks the caller on waitQueue, or on hostFd's readiness
 * when the socket has no queue, unless the call is non-blocking).
 */
export abstract class Socket extends BaseFile {
  /** In-kernel sockets: woken whenever poll() may have changed. */
  declare readonly waitQueue?: WaitQueue;
  /** Host sockets: the host fd, non-blocking on the host; waiting polls it. */
  declare readonly hostFd?: number;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns; 0: wait forever. Kept here: ushim does all waiting itself. */
  rcvTimeoutNs = 0n;
  sndTimeoutNs = 0n;
  /** SO_PASSCRED. */
  passCred = false;
  /** SOL_SOCKET integer options a family does not act on, as set (SO_REUSEADDR, SO_KEEPALIVE, ...). */
  protected readonly socketOptions = new Map<number, number>([[SO_SNDBUF, DEFAULT_SOCKET_BUFFER], [SO_RCVBUF, DEFAULT_SOCKET_BUFFER]]);
  private linger = new Uint8Array(8);

  constructor(
    readonly family: number,
    /** SOCK_STREAM, SOCK_DGRAM, ... without SOCK_NONBLOCK/SOCK_CLOEXEC. */
    readonly type: number,
    readonly protocol: number,
    readonly ino: bigint,
    /** O_NONBLOCK or 0. */
    statusFlags: number,
    /** Who created it: the credentials a write(2) without sendmsg's control messages carries. */
    readonly creator: Ucred,
  ) {
    super(`socket:[${ino}]`, O_RDWR | statusFlags);
  }

  abstract bind(t: Task, addr: Uint8Array): number;
  /**
   * connect(2). -EINPROGRESS: started; a blocking caller then waits until the socket polls
   * writable and calls again (blocking true) for the outcome. A family may return its own
   * Block (a full listen backlog).
   */
  abstract connect(t: Task, addr: Uint8Array, blocking: boolean): number | Block;
  /** t is null for write(2), which names no address to resolve in the caller's file system view. */
  abstract sendmsg(t: Task | null, msg: OutgoingMessage): number;
  /** Receives at most `length` bytes; flags are the call's MSG_* (MSG_PEEK, MSG_TRUNC, ...). */
  abstract recvmsg(length: number, flags: number): IncomingMessage | number;
  abstract getsockname(): Uint8Array | number;
  abstract getpeername(): Uint8Array | number;
  abstract shutdown(how: number): number;

  /** t: the caller, whose credentials a family may keep (AF_UNIX's SO_PEERCRED). */
  listen(_backlog: number, _t: Task): number {
    return -Errno.EOPNOTSUPP;
  }
  /** A connection waiting to be accepted, -EAGAIN when there is none yet. */
  accept(_t: Task, _statusFlags: number): Socket | number {
    return -Errno.EOPNOTSUPP;
  }
  /** Whether listen() was called (SO_ACCEPTCONN). */
  get listening(): boolean {
    return false;
  }
  /** SO_ERROR: the pending error, cleared by reading it. */
  takeError(): number {
    return 0;
  }

  /**
   * getsockopt: the whole value (the generic layer truncates it to the caller's optlen), or
   * -errno. Families handle their own levels and call this for SOL_SOCKET.
   */
  getsockopt(_t: Task, level: number, name: number): SockoptValue {
    if (level !== SOL_SOCKET) return -Errno.EOPNOTSUPP;
    switch (name) {
      case SO_TYPE: return intOption(this.type);
      case SO_DOMAIN: return intOption(this.family);
      case SO_PROTOCOL: return intOption(this.protocol);
      case SO_ACCEPTCONN: return intOption(this.listening ? 1 : 0);
      case SO_ERROR: return intOption(-this.takeError());
      case SO_PASSCRED: return intOption(this.passCred ? 1 : 0);
      case SO_RCVTIMEO: return encodeSocketTimeout(this.rcvTimeoutNs);
      case SO_SNDTIMEO: return encodeSocketTimeout(this.sndTimeoutNs);
      case SO_LINGER: return this.linger.slice();
      case SO_RCVLOWAT: return intOption(this.socketOptions.get(name) ?? 1);
      case SO_SNDLOWAT: return intOption(1);
      case SO_DEBUG: case SO_REUSEADDR: case SO_REUSEPORT: case SO_KEEPALIVE: case SO_BROADCAST: case SO_DONTROUTE:
      case SO_OOBINLINE: case SO_SNDBUF: case SO_RCVBUF:
        return intOption(this.socketOptions.get(name) ?? 0);
      default: return -Errno.ENOPROTOOPT;
    }
  }

  /** setsockopt with the value's bytes (as many as the caller's optlen). */
  setsockopt(_t: Task, level: number, name: number, value: Uint8Array): number {
    if (level !== SOL_SOCKET) return -Errno.EOPNOTSUPP;
    switch (name) {
      case SO_RCVTIMEO: case SO_SNDTIMEO: {
        const ns = decodeSocketTimeout(value);
        if (typeof ns === 'number') return ns;
        if (name === SO_RCVTIMEO) this.rcvTimeoutNs = ns;
        else this.sndTimeoutNs = ns;
        return 0;
      }
      case SO_LINGER:
        if (value.length < 8) return -Errno.EINVAL;
        this.linger = value.slice(0, 8);
        return 0;
      default: break;
    }
    const v = readIntOption(value);
    if (v === undefined) return -Errno.EINVAL;
    switch (name) {
      case SO_PASSCRED: this.passCred = v !== 0; return 0;
      case SO_DEBUG: case SO_REUSEADDR: case SO_REUSEPORT: case SO_KEEPALIVE: case SO_BROADCAST: case SO_DONTROUTE: case SO_OOBINLINE:
        this.socketOptions.set(name, v !== 0 ? 1 : 0);
        return 0;
      case SO_SNDBUF: case SO_SNDBUFFORCE:
        // Linux doubles the request (bookkeeping overhead) and keeps it above a floor.
        this.socketOptions.set(SO_SNDBUF, Math.max(4608, Math.min(v >>> 0, 0x7fffffff / 2) * 2));
        return 0;
      case SO_RCVBUF: case SO_RCVBUFFORCE:
        this.socketOptions.set(SO_RCVBUF, Math.max(2304, Math.min(v >>> 0, 0x7fffffff / 2) * 2));
        return 0;
      case SO_RCVLOWAT:
        this.socketOptions.set(name, Math.max(v, 1));
        return 0;
      case SO_TYPE: case SO_DOMAIN: case SO_PROTOCOL: case SO_ACCEPTCONN: case SO_ERROR: return -Errno.ENOPROTOOPT;
      default: return -Errno.ENOPROTOOPT;
    }
  }

  /** read(2) on a socket is recvmsg without flags. */
  override read(buf: Uint8Array): number {
    const r = this.recvmsg(buf.length, 0);
    if (typeof r === 'number') return r;
    buf.set(r.data);
    // Without a control buffer the passed descriptions are dropped, as Linux closes them.
    for (const f of r.rights) releaseFile(f);
    return r.data.length;
  }

  /** write(2) on a socket is sendmsg without an address or control messages. */
  override write(buf: Uint8Array): number {
    return this.sendmsg(null, { data: buf, addr: null, rights: [], creds: this.writerCredentials(), explicitCreds: false, control: [], flags: 0 });
  }

  /** The credentials a write(2) carries: the creator's, unless the family knows the writer. */
  protected writerCredentials(): Ucred {
    return this.creator;
  }

  stat(): FileStat {
    return {
      dev: 0x8n, ino: this.ino, nlink: 1, mode: S_IFSOCK | 0o777, uid: this.creator.uid, gid: this.creator.gid,
      rdev: 0n, size: 0n, blksize: 4096, blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
    };
  }
}

/** The socket behind a description, or null for any other file. */
export function socketOf(file: OpenFile | undefined): Socket | null {
  return file instanceof Socket ? file : null;
}
