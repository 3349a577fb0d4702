// gdb's vFile host I/O: gdb opens, reads and stats files of the debugged system (the
// executable, /proc files) through the target. Every descriptor is read-only.
import { escapeBinary, fromHex } from './packet.js';
import { hex, parseHexNumber } from './packet-args.js';
import type { Target } from './target.js';

// gdb File-I/O errno values (the same numbers as Linux for these).
const ENOENT = 2;
const EBADF = 9;
const EACCES = 13;
const EINVAL = 22;
const EROFS = 30;

export class HostIo {
  private readonly files = new Map<number, Uint8Array>();
  private nextFd = 1;

  constructor(
    private readonly target: Target,
    private readonly packetSize: number,
  ) {}

  /** The reply to vFile:<s>. */
  handle(s: string): string | Buffer {
    const colon = s.indexOf(':');
    const op = colon < 0 ? s : s.slice(0, colon);
    const argText = colon < 0 ? '' : s.slice(colon + 1);
    const args = argText.split(',');
    const fail = (errno: number): string => `F-1,${hex(errno)}`;
    switch (op) {
      case 'setfs':
        return 'F0';
      case 'open': {
        const path = fromHex(args[0] ?? '');
        const flags = parseHexNumber(args[1] ?? '');
        if (path === null || flags === null) return fail(EINVAL);
        if ((flags & 3) !== 0) return fail(EROFS);
        const data = this.target.readFile(path.toString('latin1')); // the kernel's byte string
        if (data === null) return fail(ENOENT);
        const fd = this.nextFd++;
        this.files.set(fd, data);
        return `F${hex(fd)}`;
      }
      case 'pread': {
        const fd = parseHexNumber(args[0] ?? '');
        const count = parseHexNumber(args[1] ?? '');
        const offset = parseHexNumber(args[2] ?? '');
        if (fd === null || count === null || offset === null) return fail(EINVAL);
        const data = this.files.get(fd);
        if (data === undefined) return fail(EBADF);
        const n = Math.min(count, Math.floor((this.packetSize - 32) / 2));
        const chunk = offset >= data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset, offset + n));
        return Buffer.concat([Buffer.from(`F${hex(chunk.length)};`), escapeBinary(chunk)]);
      }
      case 'pwrite':
        return fail(EBADF); // every descriptor is read-only
      case 'close': {
        const fd = parseHexNumber(args[0] ?? '');
        if (fd === null || !this.files.delete(fd)) return fail(EBADF);
        return 'F0';
      }
      case 'fstat': {
        const fd = parseHexNumber(args[0] ?? '');
        const data = fd === null ? undefined : this.files.get(fd);
        if (data === undefined) return fail(EBADF);
        // gdb's struct stat: big-endian, 64 bytes.
        const st = Buffer.alloc(64);
        st.writeUInt32BE(0o100444, 8); // st_mode: regular file, r--r--r--
        st.writeUInt32BE(1, 12); // st_nlink
        st.writeBigUInt64BE(BigInt(data.length), 28); // st_size
        st.writeBigUInt64BE(4096n, 36); // st_blksize
        st.writeBigUInt64BE(BigInt(Math.ceil(data.length / 512)), 44); // st_blocks
        return Buffer.concat([Buffer.from(`F${hex(st.length)};`), escapeBinary(st)]);
      }
      case 'readlink': {
        const path = fromHex(args[0] ?? '');
        if (path === null) return fail(EINVAL);
        const m = /^\/proc\/(\d+|self)\/exe$/.exec(path.toString('utf8'));
        if (m === null) return fail(EINVAL);
        if (m[1] !== 'self' && Number(m[1]) !== this.target.pid) return fail(ENOENT);
        const exe = this.target.execFile();
        if (exe === null) return fail(ENOENT);
        const bytes = Buffer.from(exe, 'latin1'); // a byte string
        return Buffer.concat([Buffer.from(`F${hex(bytes.length)};`), escapeBinary(bytes)]);
      }
      case 'unlink':
        return fail(EACCES);
      default:
        return '';
    }
  }
}
