// signalfd: a file that reads the reading task's pending signals in its mask as struct
// signalfd_siginfo records, dequeuing them, and polls readable while one is pending. As on
// Linux, "pending" is the caller's: the task that reads or polls (Kernel.current).
import type { Siginfo } from '../abi/siginfo.js';
import { Errno } from '../errno.js';
import { NoopSeekFile, anonInodeStat } from '../fs/basefile.js';
import { O_RDWR, POLLIN } from '../fs/constants.js';
import type { FileStat } from '../fs/file.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { SIGKILL, SIGSTOP, sigBit } from './numbers.js';

export const SIGNALFD_SIGINFO_SIZE = 128;
const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);

export class SignalFd extends NoopSeekFile {
  private mask = 0n;

  constructor(private readonly k: Kernel, mask: bigint, flags: number) {
    super('anon_inode:[signalfd]', flags | O_RDWR);
    this.setMask(mask);
  }

  /** Woken whenever a signal is queued anywhere (Kernel.signalArrivals). */
  get waitQueue() {
    return this.k.signalArrivals;
  }

  setMask(mask: bigint): void {
    this.mask = mask & ~UNBLOCKABLE;
    this.k.signalArrivals.wakeAll();
  }

  override read(buf: Uint8Array): number {
    const task = this.k.current;
    if (buf.length < SIGNALFD_SIGINFO_SIZE || task === undefined) return -Errno.EINVAL;
    let n = 0;
    for (; n + SIGNALFD_SIGINFO_SIZE <= buf.length; n += SIGNALFD_SIGINFO_SIZE) {
      const info = this.dequeue(task);
      if (info === undefined) break;
      encodeSignalfdSiginfo(new DataView(buf.buffer, buf.byteOffset + n, SIGNALFD_SIGINFO_SIZE), info);
    }
    return n > 0 ? n : -Errno.EAGAIN;
  }

  override poll(): number {
    const task = this.k.current;
    if (task === undefined) return 0;
    return (task.pending.mask | task.process.pending.mask) & this.mask ? POLLIN : 0;
  }

  /** The task's own signals first, then the process's, lowest number first (dequeue_signal). */
  private dequeue(task: Task): Siginfo | undefined {
    const blocked = ~this.mask;
    const own = task.pending.next(blocked);
    if (own !== 0) return task.pending.take(own);
    const shared = task.process.pending.next(blocked);
    return shared === 0 ? undefined : task.process.pending.take(shared);
  }

  stat(): FileStat {
    return anonInodeStat(1n);
  }
}

/** struct signalfd_siginfo from a siginfo: the fields of its union member, the rest zero. */
function encodeSignalfdSiginfo(v: DataView, si: Siginfo): void {
  for (let i = 0; i < SIGNALFD_SIGINFO_SIZE; i++) v.setUint8(i, 0);
  v.setUint32(0, si.signo, true);
  v.setInt32(4, si.errno, true);
  v.setInt32(8, si.code, true);
  // ssi_pid and ssi_uid; ssi_int and ssi_ptr, both from the sigval.
  const sender = (pid: number, uid: number): void => {
    v.setUint32(12, pid, true);
    v.setUint32(16, uid, true);
  };
  const sigval = (value: bigint): void => {
    v.setInt32(44, Number(BigInt.asIntN(32, value)), true);
    v.setBigUint64(48, value, true);
  };
  switch (si.layout) {
    case 'kill':
      sender(si.pid, si.uid);
      break;
    case 'rt':
      sender(si.pid, si.uid);
      sigval(si.value);
      break;
    case 'timer':
      v.setUint32(24, si.timerId, true);
      v.setUint32(32, si.overrun, true);
      sigval(si.value);
      break;
    case 'chld':
      sender(si.pid, si.uid);
      v.setInt32(40, si.status, true);
      v.setBigUint64(56, BigInt.asUintN(64, si.utime), true);
      v.setBigUint64(64, BigInt.asUintN(64, si.stime), true);
      break;
    case 'fault':
      v.setBigUint64(72, si.addr, true);
      v.setUint16(80, si.addrLsb, true);
      break;
    case 'poll':
      v.setUint32(28, Number(BigInt.asUintN(32, si.band)), true);
      v.setInt32(20, si.fd, true);
      break;
    case 'sys':
      v.setBigUint64(88, si.callAddr, true);
      v.setInt32(84, si.syscall, true);
      v.setUint32(96, si.arch, true);
      break;
  }
}
