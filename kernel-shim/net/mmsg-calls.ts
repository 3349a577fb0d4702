// sendmmsg/recvmmsg: several messages in one call, each through sendmsg/recvmsg's path, with
// its byte count stored in msg_len. An error after the first message ends the call with the
// count so far (Linux reports the error at the next call). A later message that would block
// also ends it there: only the first one waits, so a retried call never repeats messages.
import { Errno } from '../errno.js';
import { TIMESPEC_SIZE, decodeTimespec, encodeTimespec, nsToTimespec, timespecToNs } from '../abi/time.js';
import type { Task } from '../task.js';
import { type Block, isBlock } from '../wait.js';
import { MSG_DONTWAIT, MSG_WAITFORONE } from './constants.js';
import { recvOne, sendOne } from './msg-calls.js';
import { MMSGHDR_LEN_OFFSET, MMSGHDR_SIZE } from './msghdr.js';
import { socketFd } from './socket-calls.js';

/** What sendmmsg/recvmmsg do differently from Linux (the support matrix's note). */
export const mmsgNote = 'only the first message waits: a later one that would block ends the call with the count so far (Linux waits for each unless MSG_WAITFORONE)';

/** UIO_MAXIOV: more messages than this are cut to it. */
const UIO_MAXIOV = 1024;

type OneMessage = (msgAddr: number, flags: number) => number | Block;

function eachMessage(t: Task, vec: number, vlen: number, flags: number, one: OneMessage, stop: () => boolean): number | Block {
  const count = Math.min(vlen >>> 0, UIO_MAXIOV);
  let done = 0;
  for (; done < count; done++) {
    const entry = vec + done * MMSGHDR_SIZE;
    const r = one(entry, done === 0 ? flags : flags | MSG_DONTWAIT);
    if (isBlock(r)) return r;
    if (r < 0) return done > 0 ? done : r;
    if (!t.process.mm.writeU32(entry + MMSGHDR_LEN_OFFSET, r)) return done > 0 ? done : -Errno.EFAULT;
    if (stop()) return done + 1;
  }
  return done;
}

export function sendmmsgCall(t: Task, fd: number, vec: number, vlen: number, flags: number): number | Block {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  return eachMessage(t, vec, vlen, flags, (addr, f) => sendOne(t, socket, addr, f), () => false);
}

/**
 * recvmmsg: MSG_WAITFORONE makes every message after the first non-blocking; the timeout is
 * checked after each message (as Linux does, it does not bound the first wait) and what is
 * left of it is written back.
 */
export function recvmmsgCall(t: Task, fd: number, vec: number, vlen: number, flags: number, timeoutAddr: number): number | Block {
  const socket = socketFd(t, fd);
  if (typeof socket === 'number') return socket;
  const mm = t.process.mm;
  let deadline: bigint | undefined;
  if (timeoutAddr !== 0) {
    const raw = mm.read(timeoutAddr, TIMESPEC_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const ts = decodeTimespec(new DataView(raw.buffer), 0);
    if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= 1_000_000_000n) return -Errno.EINVAL;
    deadline = t.kernel.clock.now(1)! + timespecToNs(ts);
  }
  const expired = (): boolean => deadline !== undefined && t.kernel.clock.now(1)! >= deadline;
  const r = eachMessage(t, vec, vlen, flags & ~MSG_WAITFORONE, (addr, f) => recvOne(t, socket, addr, f), expired);
  if (deadline !== undefined && !isBlock(r) && r >= 0) {
    const left = new Uint8Array(TIMESPEC_SIZE);
    const leftNs = deadline - t.kernel.clock.now(1)!;
    encodeTimespec(new DataView(left.buffer), 0, nsToTimespec(leftNs > 0n ? leftNs : 0n));
    if (!mm.write(timeoutAddr, left)) return -Errno.EFAULT;
  }
  return r;
}
