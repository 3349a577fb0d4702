// The kernel's networking state: the socket families by AF_* number, socket inode numbers,
// the --net mode, and the deadlines of calls waiting under SO_RCVTIMEO/SO_SNDTIMEO.
import { InodeNumbers } from '../fs/inodes.js';
import type { Task } from '../task.js';
import type { Socket } from './socket.js';

/** 'host': AF_INET/AF_INET6 go through host sockets, as qemu-user's; 'none': an empty network namespace's view. */
export type NetMode = 'host' | 'none';

export interface SocketFamily {
  /** socket(2): type is SOCK_STREAM, SOCK_DGRAM, ... without flags; statusFlags O_NONBLOCK or 0. */
  create(t: Task, type: number, protocol: number, statusFlags: number): Socket | number;
  /** socketpair(2); absent: -EOPNOTSUPP as for families without it. */
  pair?(t: Task, type: number, protocol: number, statusFlags: number): [Socket, Socket] | number;
}

interface PendingDeadline {
  readonly socket: Socket;
  readonly deadline: bigint;
}

export class Network {
  readonly families = new Map<number, SocketFamily>();
  readonly inodes = new InodeNumbers(0x10000n);
  /** The deadline of each task's socket call that waits under a timeout, kept across its retries. */
  private readonly deadlines = new Map<Task, PendingDeadline>();

  /**
   * The interface requests (SIOCGIFINDEX, ...) asked on a socket of a family without its
   * own answer; null: cmd is no such request. Set by the AF_INET family.
   */
  interfaceQuery: ((t: Task, cmd: number, argAddr: number) => number | null) | undefined;

  constructor(readonly mode: NetMode) {}

  /** The deadline of t's current call on socket, set `timeoutNs` from now when the call first waits. */
  deadlineFor(t: Task, socket: Socket, timeoutNs: bigint): bigint {
    const pending = this.deadlines.get(t);
    if (pending !== undefined && pending.socket === socket) return pending.deadline;
    const deadline = t.kernel.clock.now(1)! + timeoutNs;
    this.deadlines.set(t, { socket, deadline });
    return deadline;
  }

  /** t's socket call finished (or never waited): a later call starts a new timeout. */
  callDone(t: Task): void {
    if (this.deadlines.size > 0) this.deadlines.delete(t);
  }
}
