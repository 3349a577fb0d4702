// What every AF_UNIX socket has (Linux's struct unix_sock): its name, its peer, the receive
// queue of messages with the descriptions and credentials they carry, the shutdown bits,
// a pending error (SO_ERROR), the bytes it has sent that still wait in a receive queue
// (sk_wmem_alloc, which bounds what it may send), and the sockets waiting for room in its
// queue. Closing the last reference unbinds the name, frees the queue and its descriptions
// (descriptions passed around a cycle of sockets stay: there is no garbage collector for
// them, unlike Linux) and tells the peer.
import { Errno } from '../../errno.js';
import { FIONREAD, O_NONBLOCK } from '../../fs/constants.js';
import { retainFile } from '../../fs/fdtable.js';
import type { OpenFile } from '../../fs/file.js';
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task.js';
import { WaitQueue } from '../../wait.js';
import { AF_UNIX, MSG_DONTWAIT, SOL_SOCKET, SO_PEERCRED, SO_SNDBUF } from '../constants.js';
import { type IncomingMessage, type OutgoingMessage, Socket, type SockoptValue, type Ucred } from '../socket.js';
import { credentialsOf } from '../socket-calls.js';
import { isAutobindRequest, parseUnixAddress, unnamedAddress } from './address.js';
import type { UnixDomain } from './domain.js';

export const RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
const POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLRDNORM = 0x40, POLLWRNORM = 0x100, POLLWRBAND = 0x200,
  POLLRDHUP = 0x2000;
export const READABLE = POLLIN | POLLRDNORM, WRITABLE = POLLOUT | POLLWRNORM | POLLWRBAND;
export { POLLERR, POLLHUP, POLLRDHUP };
const SIOCOUTQ = 0x5411;
/** What a queued message costs its sender beyond its bytes (an sk_buff's overhead). */
const MESSAGE_OVERHEAD = 576;
/** Credentials of nobody: what a receiver with SO_PASSCRED gets for a message sent without them. */
const NO_CREDS: Ucred = { pid: 0, uid: 65534, gid: 65534 };

/** A message in a receive queue. */
export interface QueuedMessage {
  readonly data: Uint8Array;
  /** Bytes already read (streams read messages in parts). */
  offset: number;
  /** SCM_RIGHTS: references the message holds until it is received or freed. */
  rights: OpenFile[];
  /** The sender's credentials when either side asked for them (SO_PASSCRED) or they were sent. */
  readonly creds: Ucred | null;
  readonly sender: UnixSocket;
  /** What it counts against the sender's buffer. */
  readonly charge: number;
}

export abstract class UnixSocket extends Socket {
  /** Woken whenever poll() may have changed. */
  readonly wakeups = new WaitQueue();
  /** The queue waiters park on: none for a socket connected to a host socket, which waits on hostFd. */
  override waitQueue: WaitQueue | undefined = this.wakeups;
  override hostFd: number | undefined = undefined;
  readonly queue: QueuedMessage[] = [];
  /** Unread bytes in the queue. */
  queuedBytes = 0;
  /** The bound name's bytes (getsockname), null when unnamed. */
  name: Uint8Array | null = null;
  peer: UnixSocket | null = null;
  /** SO_PEERCRED: the peer's credentials when the connection was made. */
  peerCred: Ucred | null = null;
  shutdownBits = 0;
  /** A pending error (positive errno), reported once. */
  pendingError = 0;
  dead = false;
  /** Bytes (with overhead) this socket sent that wait in a receive queue. */
  sent = 0;
  /** Sockets to wake when this one's queue gets room (Linux's peer_wait). */
  protected readonly roomWaiters = new Set<UnixSocket>();
  private unbind: (() => void) | null = null;

  constructor(
    readonly domain: UnixDomain,
    /** The kernel, whose current task is who write(2)s (SCM_CREDENTIALS). */
    private readonly kernel: Kernel,
    type: number,
    ino: bigint,
    statusFlags: number,
    creator: Ucred,
  ) {
    super(AF_UNIX, type, 0, ino, statusFlags, creator);
  }

  protected override writerCredentials(): Ucred {
    const t = this.kernel.current;
    return t === undefined ? this.creator : credentialsOf(t);
  }

  /** A new socket of this one's kind (connect's server side). */
  sibling(ino: bigint, creator: Ucred): this {
    return new (this.constructor as new (...args: ConstructorParameters<typeof UnixSocket>) => this)(this.domain, this.kernel, this.type, ino, 0, creator);
  }

  /** Called by UnixNames when a name is bound; `unbind` gives it up again. */
  setName(name: Uint8Array, unbind: (() => void) | null): void {
    this.name = name;
    this.unbind = unbind;
  }

  bind(t: Task, raw: Uint8Array): number {
    if (isAutobindRequest(raw)) return this.domain.names.autobind(t, this);
    const addr = parseUnixAddress(raw);
    return typeof addr === 'number' ? addr : this.domain.names.bind(t, this, addr);
  }

  getsockname(): Uint8Array {
    return this.name?.slice() ?? unnamedAddress();
  }

  getpeername(): Uint8Array | number {
    if (this.peer === null) return -Errno.ENOTCONN;
    return this.peer.getsockname();
  }

  override takeError(): number {
    const e = this.pendingError;
    this.pendingError = 0;
    return e === 0 ? 0 : -e;
  }

  override getsockopt(t: Task, level: number, name: number): SockoptValue {
    if (level === SOL_SOCKET && name === SO_PEERCRED) {
      const cred = this.peerCred ?? { pid: 0, uid: -1, gid: -1 };
      const out = new Uint8Array(12);
      const view = new DataView(out.buffer);
      view.setInt32(0, cred.pid, true);
      view.setInt32(4, cred.uid, true);
      view.setInt32(8, cred.gid, true);
      return out;
    }
    return super.getsockopt(t, level, name);
  }

  /** FIONREAD and SIOCOUTQ; the socket ioctls every family shares are the base's (unix_ioctl's ENOIOCTLCMD). */
  override ioctl(cmd: number, arg: Uint8Array | null): number {
    if (cmd !== FIONREAD && cmd !== SIOCOUTQ) return super.ioctl(cmd, arg);
    const value = cmd === SIOCOUTQ ? this.sent : this.unreadBytes();
    if (value < 0) return value;
    if (arg === null || arg.length < 4) return -Errno.EFAULT;
    new DataView(arg.buffer, arg.byteOffset, 4).setInt32(0, value, true);
    return 0;
  }

  /** FIONREAD: what a read would find (the first datagram's length for SOCK_DGRAM). */
  protected unreadBytes(): number {
    return this.queuedBytes;
  }

  get sndbuf(): number {
    return this.socketOptions.get(SO_SNDBUF) ?? 0;
  }

  /** unix_writable: a quarter of the send buffer or less is in flight. */
  get writable(): boolean {
    return this.sent * 4 <= this.sndbuf;
  }

  /** Whether the call may not wait: MSG_DONTWAIT or O_NONBLOCK. */
  nonBlocking(flags: number): boolean {
    return (flags & MSG_DONTWAIT) !== 0 || (this.flags & O_NONBLOCK) !== 0;
  }

  /** sendmsg(2): descriptions of a message that was not queued are released. */
  sendmsg(t: Task | null, msg: OutgoingMessage): number {
    const r = this.send(t, msg);
    this.domain.releaseAll(msg.rights.splice(0));
    return r;
  }

  /** Sends msg; a message queued takes msg.rights out of it (enqueue). */
  protected abstract send(t: Task | null, msg: OutgoingMessage): number;

  /**
   * Queues a message from `sender`, taking msg's rights out of it; creds are kept when either side
   * has SO_PASSCRED or they were sent explicitly.
   */
  enqueue(sender: UnixSocket, data: Uint8Array, msg: OutgoingMessage): void {
    const keepCreds = msg.explicitCreds || sender.passCred || this.keepsCreds();
    const charge = data.length + MESSAGE_OVERHEAD;
    this.queue.push({ data, offset: 0, rights: msg.rights.splice(0), creds: keepCreds ? msg.creds : null, sender, charge });
    this.queuedBytes += data.length;
    sender.sent += charge;
    this.wakeups.wakeAll();
  }

  /** Whether messages queued here keep their sender's credentials whatever the sender asked. */
  protected keepsCreds(): boolean {
    return this.passCred;
  }

  /** Removes the first message: its sender gets the room back, and who waits for room here is woken. */
  dequeue(): void {
    const m = this.queue.shift();
    if (m === undefined) return;
    this.queuedBytes -= m.data.length - m.offset;
    m.sender.sent -= m.charge;
    m.sender.wakeups.wakeAll();
    this.wakeRoomWaiters();
  }

  /** `waiter` is woken when this socket's queue gets room (a datagram sender, a connect on a full backlog). */
  waitForRoom(waiter: UnixSocket): void {
    this.roomWaiters.add(waiter);
  }

  protected wakeRoomWaiters(): void {
    for (const s of this.roomWaiters) s.wakeups.wakeAll();
    this.roomWaiters.clear();
  }

  /** The descriptions m hands its receiver: m's own, or for a peek references of their own. */
  takeRights(m: QueuedMessage, peek: boolean): OpenFile[] {
    if (!peek) {
      const rights = m.rights;
      m.rights = [];
      return rights;
    }
    for (const f of m.rights) retainFile(f);
    return m.rights.slice();
  }

  /**
   * What the receiver of `data` (of a message `length` bytes long) from `m` gets: the sender's
   * name, the descriptions, and under SO_PASSCRED the sender's credentials.
   */
  received(m: QueuedMessage, data: Uint8Array, length: number, rights: OpenFile[]): IncomingMessage {
    const creds = this.passCred ? m.creds ?? NO_CREDS : null;
    return { data, length, addr: m.sender.name?.slice() ?? null, rights, creds, control: [], flags: 0 };
  }

  /** Frees every queued message, releasing the descriptions it carries. */
  protected purgeQueue(): void {
    const messages = this.queue.splice(0);
    this.queuedBytes = 0;
    for (const m of messages) {
      m.sender.sent -= m.charge;
      m.sender.wakeups.wakeAll();
      this.domain.releaseAll(m.rights);
    }
    this.wakeRoomWaiters();
  }

  /** What closing does to the peer and to pending connections (per socket kind). */
  protected abstract disconnect(): void;

  override release(): void {
    this.dead = true;
    this.unbind?.();
    this.unbind = null;
    this.shutdownBits = SHUTDOWN_MASK;
    this.disconnect();
    this.purgeQueue();
    this.wakeups.wakeAll();
  }
}
