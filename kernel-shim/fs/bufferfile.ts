// Read-only in-memory content (procfs snapshots and the like).
import { Errno } from '../errno.js';
import { BaseFile } from './basefile.js';
import { MAX_OFFSET, SEEK_CUR, SEEK_END, SEEK_SET, canRead } from './constants.js';
import type { FileStat } from './file.js';

export class BufferFile extends BaseFile {
  private pos = 0n;

  constructor(
    path: string,
    flags: number,
    private readonly content: Uint8Array,
    private readonly meta: FileStat,
  ) {
    super(path, flags);
  }

  stat(): FileStat {
    return { ...this.meta };
  }
  override read(buf: Uint8Array): number {
    const n = this.pread(buf, this.pos);
    if (n > 0) this.pos += BigInt(n);
    return n;
  }
  override write(_buf: Uint8Array): number {
    return -Errno.EBADF;
  }
  override pread(buf: Uint8Array, pos: bigint): number {
    if (!canRead(this.flags)) return -Errno.EBADF;
    if (pos < 0n) return -Errno.EINVAL;
    if (pos >= BigInt(this.content.length)) return 0;
    const chunk = this.content.subarray(Number(pos), Number(pos) + buf.length);
    buf.set(chunk);
    return chunk.length;
  }
  override pwrite(_buf: Uint8Array, _pos: bigint): number {
    return -Errno.EBADF;
  }
  override seek(offset: bigint, whence: number): bigint | number {
    let target: bigint;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = this.pos + offset;
    else if (whence === SEEK_END) target = BigInt(this.content.length) + offset;
    else return -Errno.EINVAL;
    if (target < 0n || target > MAX_OFFSET) return -Errno.EINVAL;
    this.pos = target;
    return target;
  }
}
