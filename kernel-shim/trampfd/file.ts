// What both trampfd ABIs share: an anonymous-inode file ("anon_inode:[trampfd]", O_RDWR,
// always close-on-exec) whose read/write/pread/pwrite/lseek work on *symbolic* offsets, not
// bytes, and never move the file position.
//
// Reads and writes copy guest memory themselves (userIo): a context read copies only the
// bytes the context has, leaving the rest of the buffer alone, and a NULL buffer is EINVAL,
// which a plain byte-copying file cannot express. kernel-shim/fs/file-io.ts sends read, write, pread64
// and pwrite64 on these files here.
import { Errno } from '../errno.js';
import { BaseFile } from '../fs/basefile.js';
import { O_RDWR, SEEK_SET } from '../fs/constants.js';
import type { FileStat, OpenFile } from '../fs/file.js';
import { accessOk } from '../mm/uaccess.js';
import type { Task } from '../task.js';

export const TRAMPFD_PATH = 'anon_inode:[trampfd]';

/** anon_inodefs: one inode shared by every anonymous-inode file. */
const ANON_INODE_STAT: FileStat = {
  dev: 0xen, ino: 1n, nlink: 1, mode: 0o600, uid: 0, gid: 0, rdev: 0n, size: 0n, blksize: 4096, blocks: 0n,
  atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
};

export abstract class TrampfdFile extends BaseFile {
  /** f_pos: the symbolic offset read()/write() use. */
  protected pos = 0n;

  constructor(private readonly offsets: number) {
    super(TRAMPFD_PATH, O_RDWR);
  }

  stat(): FileStat {
    return { ...ANON_INODE_STAT };
  }

  /** lseek: SEEK_SET to one of the symbolic offsets only. */
  override seek(offset: bigint, whence: number): bigint | number {
    if (whence !== SEEK_SET || offset < 0n || offset >= BigInt(this.offsets)) return -Errno.EINVAL;
    this.pos = offset;
    return offset;
  }

  /** read/pread (write=false) or write/pwrite (write=true) of count bytes at addr; pos null: f_pos. */
  userIo(t: Task, write: boolean, addr: number, count: number, pos: bigint | null): number {
    if (!accessOk(addr, count)) return -Errno.EFAULT;
    if (addr === 0 || count === 0) return -Errno.EINVAL;
    const at = pos ?? this.pos;
    const mem = guestMemory(t);
    return write ? this.writeBytes(mem, at, addr, count, t) : this.readBytes(mem, at, addr, count);
  }

  // Callers that only have bytes (readv/writev and friends) get the same semantics on a bounce
  // buffer; guest memory past the copied context is then overwritten with zeros.
  override pread(buf: Uint8Array, pos: bigint): number {
    return this.bufferIo(buf, pos, false);
  }
  override pwrite(buf: Uint8Array, pos: bigint): number {
    return this.bufferIo(buf, pos, true);
  }
  override read(buf: Uint8Array): number {
    return this.bufferIo(buf, this.pos, false);
  }
  override write(buf: Uint8Array): number {
    return this.bufferIo(buf, this.pos, true);
  }

  private bufferIo(buf: Uint8Array, pos: bigint, write: boolean): number {
    if (buf.length === 0) return -Errno.EINVAL;
    const mem: ContextMemory = {
      read: (_addr, n) => (n <= buf.length ? buf.slice(0, n) : null),
      write: (_addr, data) => {
        buf.set(data.subarray(0, buf.length));
        return true;
      },
    };
    return write ? this.writeBytes(mem, pos, 1, buf.length) : this.readBytes(mem, pos, 1, buf.length);
  }

  /** A copy of the contexts and file position, open nowhere: what a snapshot keeps. */
  clone(): TrampfdFile {
    const copy = this.blank();
    copy.assign(this);
    return copy;
  }

  /** Takes the contexts and file position of `copy` (made by clone() of this kind of file). */
  assign(copy: TrampfdFile): void {
    if (copy.constructor !== this.constructor) throw new TypeError(`a ${this.constructor.name} takes the state of another ${this.constructor.name} only`);
    this.pos = copy.pos;
    this.takeContexts(copy as this);
  }

  /** A file of this kind without contexts, open nowhere (clone's starting point). */
  protected abstract blank(): TrampfdFile;
  /** Takes the contexts of `copy`, a file of the same kind. */
  protected abstract takeContexts(copy: this): void;

  /** The file's read handler: count, or -errno. */
  protected abstract readBytes(mem: ContextMemory, offset: bigint, addr: number, count: number): number;
  /** The file's write handler: count, or -errno. `t` is the writer when known. */
  protected abstract writeBytes(mem: ContextMemory, offset: bigint, addr: number, count: number, t?: Task): number;
}

/** copy_from_user / copy_to_user as the context code needs them. */
export interface ContextMemory {
  /** All n bytes at addr, or null (EFAULT). */
  read(addr: number, n: number): Uint8Array | null;
  write(addr: number, data: Uint8Array): boolean;
}

export function guestMemory(t: Task): ContextMemory {
  const mm = t.process.mm;
  return { read: (addr, n) => mm.read(addr, n), write: (addr, data) => mm.write(addr, data) };
}

/** The trampfd behind an open file, for file-io.ts and mmap. */
export function trampfdOf(file: OpenFile | undefined): TrampfdFile | undefined {
  return file instanceof TrampfdFile ? file : undefined;
}
