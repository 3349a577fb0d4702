// A writable /proc/sys file holding one unsigned number (proc_doulongvec_minmax): read
// gives the value at open time and a newline, write parses a decimal number and hands it to
// the setting (EINVAL for anything else).
import { Errno } from '../errno.js';
import { BufferFile } from './bufferfile.js';
import { canWrite } from './constants.js';
import type { FileStat } from './file.js';

const NUMBER = /^\s*([0-9]{1,15})\s*$/;

export class SysctlNumberFile extends BufferFile {
  constructor(
    path: string,
    flags: number,
    value: number,
    meta: FileStat,
    private readonly set: (value: number) => void,
  ) {
    super(path, flags, Buffer.from(`${value}\n`), meta);
  }

  override write(buf: Uint8Array): number {
    return this.pwrite(buf, 0n);
  }

  override pwrite(buf: Uint8Array, pos: bigint): number {
    if (!canWrite(this.flags)) return -Errno.EBADF;
    // sysctl_writes_strict: a write past the start of the file changes nothing.
    if (pos > 0n || buf.length === 0) return buf.length;
    const m = NUMBER.exec(Buffer.from(buf).toString('latin1'));
    if (m === null) return -Errno.EINVAL;
    this.set(Number(m[1]));
    return buf.length;
  }
}
