// The mqueue namespace: the queues every guest process of one Kernel shares by name (separate
// from the host's), as the mqueue filesystem's root directory holds them. Names arrive as
// the kernel sees them, without the leading '/' the C library strips.
import { CLOCK_REALTIME } from '../clock.js';
import { capabilitiesOf } from '../capabilities.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_CLOEXEC, O_CREAT, O_EXCL, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } from '../fs/constants.js';
import type { FdTable } from '../fs/fdtable.js';
import type { OpenFile } from '../fs/file.js';
import type { Task } from '../task.js';
import { MqueueFile } from './mq-file.js';
import { type MqAttr, MessageQueue } from './queue.js';

const NAME_MAX = 255;
/** /proc/sys/fs/mqueue/msg_max, msgsize_max and their defaults (msg_default, msgsize_default). */
export const MSG_MAX = 10, MSGSIZE_MAX = 8192;
/** What CAP_SYS_RESOURCE may ask for (HARD_MSGMAX, HARD_MSGSIZEMAX). */
const HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 16 * 1024 * 1024;
const CAP_DAC_OVERRIDE = 1n, CAP_FOWNER = 3n, CAP_SYS_RESOURCE = 24n;
const MAY_READ = 4, MAY_WRITE = 2;
const RLIMIT_MSGQUEUE = 12;
/** What each message slot costs besides its text: struct msg_msg and a priority tree node. */
const MSG_OVERHEAD = 48, PRIO_NODE = 48, MQ_PRIO_MAX = 32768;

/** The bytes a queue charges to its creator's RLIMIT_MSGQUEUE (mqueue_get_inode's mq_bytes). */
function chargeOf(attr: MqAttr): number {
  return attr.maxmsg * MSG_OVERHEAD + Math.min(attr.maxmsg, MQ_PRIO_MAX) * PRIO_NODE + attr.maxmsg * attr.msgsize;
}

function capable(t: Task, cap: bigint): boolean {
  return ((capabilitiesOf(t).effective >> cap) & 1n) === 1n;
}

/** What lookup_one_len and simple_lookup refuse in a queue name. */
function nameError(name: string): number {
  if (name === '') return -Errno.ENOENT;
  if (name === '.' || name === '..' || name.includes('/')) return -Errno.EACCES;
  return name.length > NAME_MAX ? -Errno.ENAMETOOLONG : 0;
}

/** mq_attr_ok: EINVAL outside the limits (the hard ones with CAP_SYS_RESOURCE). */
export function attrError(t: Task, attr: MqAttr): number {
  if (attr.maxmsg <= 0 || attr.msgsize <= 0) return -Errno.EINVAL;
  const privileged = capable(t, CAP_SYS_RESOURCE);
  if (attr.maxmsg > (privileged ? HARD_MSGMAX : MSG_MAX) || attr.msgsize > (privileged ? HARD_MSGSIZEMAX : MSGSIZE_MAX)) return -Errno.EINVAL;
  return 0;
}

/** inode_permission on a queue for the access mode of oflag. */
function permitted(t: Task, q: MessageQueue, oflag: number): boolean {
  const want = [MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE][oflag & O_ACCMODE];
  if (capable(t, CAP_DAC_OVERRIDE)) return true;
  const p = t.process;
  const { mode, uid, gid } = q.owner;
  const bits = p.uid === uid ? mode >> 6 : p.gid === gid || p.groups.includes(gid) ? mode >> 3 : mode;
  return (bits & want) === want;
}

export class MqueueNamespace {
  private readonly queues = new Map<string, MessageQueue>();
  private nextIno = 1n;
  /** Bytes charged by live queues, by creator uid (user_struct's mq_bytes). */
  private readonly charged = new Map<number, number>();

  /** mq_open: the new descriptor or -errno; attr undefined: the default sizes. */
  open(t: Task, name: string, oflag: number, mode: number, attr: MqAttr | undefined): number {
    const bad = nameError(name);
    if (bad < 0) return bad;
    let q = this.queues.get(name);
    const existed = q !== undefined;
    if (q !== undefined && (oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -Errno.EEXIST;
    if (q === undefined && !(oflag & O_CREAT)) return -Errno.ENOENT;
    if ((oflag & O_ACCMODE) === O_ACCMODE) return -Errno.EINVAL;
    if (q !== undefined) {
      if (!permitted(t, q, oflag)) return -Errno.EACCES;
    } else {
      const size = attr ?? { maxmsg: MSG_MAX, msgsize: MSGSIZE_MAX };
      const invalid = attr === undefined ? 0 : attrError(t, attr);
      if (invalid < 0) return invalid;
      const uid = t.process.uid;
      const charge = chargeOf(size);
      const used = this.charged.get(uid) ?? 0;
      if (BigInt(used + charge) > t.process.rlimits[RLIMIT_MSGQUEUE].cur) return -Errno.EMFILE;
      this.charged.set(uid, used + charge);
      const now = t.kernel.clock.now(CLOCK_REALTIME)!;
      q = new MessageQueue(name, this.nextIno++, size, { mode: mode & 0o777 & ~t.process.fs.umask, uid, gid: t.process.gid }, now);
      this.queues.set(name, q);
    }
    const queue = q;
    const accmode = [O_RDONLY, O_WRONLY, O_RDWR][oflag & O_ACCMODE];
    const fd = t.process.fds.installNew(new MqueueFile(queue, accmode | (oflag & O_NONBLOCK), () => this.evictIfGone(queue)), (oflag & O_CLOEXEC) !== 0);
    // No descriptor for it (EMFILE): Linux takes the fd first, so the queue is not created.
    if (fd < 0 && !existed) {
      this.queues.delete(name);
      queue.unlinked = true;
      this.evictIfGone(queue);
    }
    return fd;
  }

  /** A queue neither named nor open is gone: its charge comes back (mqueue_evict_inode). */
  private evictIfGone(q: MessageQueue): void {
    if (q.openFiles > 0 || !q.unlinked) return;
    const uid = q.owner.uid;
    this.charged.set(uid, (this.charged.get(uid) ?? 0) - chargeOf(q.attr));
  }

  /** mq_unlink: the name goes; the queue lives on while descriptors hold it. */
  unlink(t: Task, name: string): number {
    const bad = nameError(name);
    if (bad < 0) return bad;
    const q = this.queues.get(name);
    if (q === undefined) return -Errno.ENOENT;
    // The mqueue root is sticky (01777): only the owner or CAP_FOWNER removes a queue.
    if (q.owner.uid !== t.process.uid && !capable(t, CAP_FOWNER)) return -Errno.EPERM;
    this.queues.delete(name);
    q.unlinked = true;
    this.evictIfGone(q);
    return 0;
  }

  /** Any close of a queue descriptor by the registered process drops its notification (mqueue_flush_file). */
  closed(table: FdTable, file: OpenFile): void {
    if (!(file instanceof MqueueFile)) return;
    const owner = file.queue.notification?.owner;
    if (owner !== undefined && owner.fds === table) file.queue.notification = undefined;
  }
}
