// The userfaultfd file (anon_inode:[userfaultfd]) and /dev/userfaultfd: read() returns
// uffd_msg records, poll() reports them, and the UFFDIO_* ioctls (which read and write
// their argument structs in the caller's memory) drive kernel-shim/uffd/.
import * as A from '../abi/uffd.js';
import { Errno } from '../errno.js';
import { UffdCtx } from '../uffd/context.js';
import { type FillResult, uffdCopy, uffdFillRange, uffdMove, uffdWriteProtect } from '../uffd/fill.js';
import { uffdApi, uffdMayCreate, uffdRegister, uffdUnregister, validRange } from '../uffd/register.js';
import type { Task } from '../task.js';
import { NoopSeekFile } from './basefile.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY, POLLIN } from './constants.js';
import { releaseFile } from './fdtable.js';
import type { FileStat } from './file.js';

const POLLERR = 8;

function anonStat(): FileStat {
  return {
    dev: 0xen, ino: 1n, nlink: 1, mode: 0o600, uid: 0, gid: 0, rdev: 0n, size: 0n, blksize: 4096, blocks: 0n,
    atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
  };
}

/** Reads `size` bytes of an ioctl argument: a DataView, or null (EFAULT). */
function readArg(t: Task, addr: number, size: number): DataView | null {
  const raw = t.process.mm.read(addr, size);
  return raw === null ? null : new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

function writeS64(t: Task, addr: number, value: number): boolean {
  return t.process.mm.writeU64(addr, BigInt(value));
}

export class UffdFile extends NoopSeekFile {
  readonly waitQueue;

  constructor(readonly ctx: UffdCtx) {
    super('anon_inode:[userfaultfd]', O_RDONLY | (ctx.flags & O_NONBLOCK));
    this.waitQueue = ctx.fdQueue;
  }

  stat(): FileStat {
    return anonStat();
  }

  /** Whole 32-byte messages; blocks (through -EAGAIN) only while none is available. */
  override read(buf: Uint8Array): number {
    const ctx = this.ctx;
    if (!ctx.initialized) return -Errno.EINVAL;
    if (buf.length < A.UFFD_MSG_SIZE) return -Errno.EINVAL;
    const reader = ctx.kernel.current;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let n = 0;
    while (buf.length - n >= A.UFFD_MSG_SIZE) {
      const msg = ctx.takeMessage((forked) => {
        // The child's context becomes an fd of the reading process (same O_CLOEXEC/O_NONBLOCK).
        if (reader === undefined) return -Errno.EBADF;
        return reader.process.fds.install(new UffdFile(forked), (forked.flags & O_CLOEXEC) !== 0);
      });
      if (msg === null) break;
      if (typeof msg === 'number') return n > 0 ? n : msg;
      A.encodeUffdMsg(view, n, msg);
      n += A.UFFD_MSG_SIZE;
    }
    return n > 0 ? n : -Errno.EAGAIN;
  }

  override write(_buf: Uint8Array): number {
    return -Errno.EINVAL;
  }

  /** EPOLLERR until UFFDIO_API, and on a blocking uffd; else EPOLLIN iff something is unread. */
  override poll(): number {
    if (!this.ctx.initialized || !(this.flags & O_NONBLOCK)) return POLLERR;
    return this.ctx.hasUnread() ? POLLIN : 0;
  }

  override ioctl(_cmd: number, _arg: Uint8Array | null): number {
    return -Errno.EINVAL;
  }

  override release(): void {
    this.ctx.release();
  }

  guestIoctl(t: Task, cmd: number, addr: number): number {
    const ctx = this.ctx;
    if (cmd !== A.UFFDIO_API && !ctx.initialized) return -Errno.EINVAL;
    switch (cmd) {
      case A.UFFDIO_API:
        return this.api(t, addr);
      case A.UFFDIO_REGISTER: {
        const v = readArg(t, addr, 24);
        if (v === null) return -Errno.EFAULT;
        const [start, len, mode] = A.readU64s(v, 0, 3);
        const r = uffdRegister(ctx, start, len, mode);
        if (typeof r === 'number') return r;
        return t.process.mm.writeU64(addr + A.UFFDIO_REGISTER_OFFSETS.ioctls, r) ? 0 : -Errno.EFAULT;
      }
      case A.UFFDIO_UNREGISTER:
      case A.UFFDIO_WAKE: {
        const v = readArg(t, addr, A.UFFDIO_RANGE_SIZE);
        if (v === null) return -Errno.EFAULT;
        const [start, len] = A.readU64s(v, 0, 2);
        if (cmd === A.UFFDIO_UNREGISTER) return uffdUnregister(ctx, start, len);
        if (!validRange(start, len)) return -Errno.EINVAL;
        ctx.wake(Number(start), Number(len));
        return 0;
      }
      case A.UFFDIO_COPY:
      case A.UFFDIO_MOVE: {
        const field = addr + (cmd === A.UFFDIO_COPY ? A.UFFDIO_COPY_OFFSETS.copy : A.UFFDIO_MOVE_OFFSETS.move);
        if (ctx.changing > 0) {
          // A non-cooperative event is unread: retry later (MOVE leaves its field alone).
          if (cmd === A.UFFDIO_COPY && !writeS64(t, field, -Errno.EAGAIN)) return -Errno.EFAULT;
          return -Errno.EAGAIN;
        }
        const v = readArg(t, addr, 32);
        if (v === null) return -Errno.EFAULT;
        const [dst, src, len, mode] = A.readU64s(v, 0, 4);
        const mm = t.process.mm;
        const r = cmd === A.UFFDIO_COPY ? uffdCopy(ctx, mm, { dst, src, len, mode }) : uffdMove(ctx, mm, { dst, src, len, mode });
        return this.finish(t, field, r);
      }
      case A.UFFDIO_ZEROPAGE:
      case A.UFFDIO_CONTINUE:
      case A.UFFDIO_POISON: {
        const field = addr + 24;
        if (ctx.changing > 0) return writeS64(t, field, -Errno.EAGAIN) ? -Errno.EAGAIN : -Errno.EFAULT;
        const v = readArg(t, addr, 24);
        if (v === null) return -Errno.EFAULT;
        const [start, len, mode] = A.readU64s(v, 0, 3);
        const kind = cmd === A.UFFDIO_ZEROPAGE ? 'zeropage' : cmd === A.UFFDIO_CONTINUE ? 'continue' : 'poison';
        return this.finish(t, field, uffdFillRange(ctx, kind, start, len, mode));
      }
      case A.UFFDIO_WRITEPROTECT: {
        if (ctx.changing > 0) return -Errno.EAGAIN;
        const v = readArg(t, addr, A.UFFDIO_WRITEPROTECT_SIZE);
        if (v === null) return -Errno.EFAULT;
        const [start, len, mode] = A.readU64s(v, 0, 3);
        return uffdWriteProtect(ctx, start, len, mode);
      }
      default:
        return -Errno.EINVAL;
    }
  }

  /** UFFDIO_API: all supported features and the basic ioctls back, or a zeroed struct. */
  private api(t: Task, addr: number): number {
    const v = readArg(t, addr, A.UFFDIO_API_SIZE);
    if (v === null) return -Errno.EFAULT;
    const req = A.decodeUffdioApi(v, 0);
    const r = uffdApi(this.ctx, req.api, req.features, t.process.uid);
    const out = new Uint8Array(A.UFFDIO_API_SIZE);
    if (r === 0) {
      A.encodeUffdioApi(new DataView(out.buffer), 0, { api: req.api, features: BigInt(this.ctx.kernel.uffd.supportedFeatures), ioctls: A.UFFD_API_IOCTLS });
    }
    if (!t.process.mm.write(addr, out)) return -Errno.EFAULT;
    return r;
  }

  private finish(t: Task, field: number, r: FillResult): number {
    if (r.field !== undefined && !writeS64(t, field, r.field)) return -Errno.EFAULT;
    return r.ret;
  }
}

/** userfaultfd(2) and USERFAULTFD_IOC_NEW: a new uffd on the caller's address space. */
export function createUffd(t: Task, flags: number, checkPermission: boolean): number {
  const allowed = uffdMayCreate(checkPermission ? t.process.uid : 0, flags);
  if (allowed < 0) return allowed;
  const ctx = new UffdCtx(t.kernel, t.process, t.process.mm, flags);
  const file = new UffdFile(ctx);
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

/** /dev/userfaultfd: only USERFAULTFD_IOC_NEW; access is the device node's permissions. */
export class UffdDevice extends NoopSeekFile {
  constructor(
    path: string,
    flags: number,
    private readonly meta: () => FileStat,
  ) {
    super(path, flags);
  }

  stat(): FileStat {
    return this.meta();
  }

  override ioctl(_cmd: number, _arg: Uint8Array | null): number {
    return -Errno.EINVAL;
  }

  guestIoctl(t: Task, cmd: number, arg: number): number {
    if (cmd !== A.USERFAULTFD_IOC_NEW) return -Errno.EINVAL;
    return createUffd(t, arg, false);
  }
}
