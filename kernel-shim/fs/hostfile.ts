// Descriptions backed by host file descriptors: regular files, directories, and the
// streams (pipes, ttys, character devices) the guest opens or inherits as fds 0-2.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { Errno } from '../errno.js';
import { BaseFile, DirFile, PathFile } from './basefile.js';
import {
  DT_DIR,
  FIONREAD,
  MAX_OFFSET,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_NOATIME,
  O_NOFOLLOW,
  O_PATH,
  O_RDWR,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  S_IFMT,
  TCGETS,
  TCSETS,
  TCSETSF,
  TCSETSW,
  TIOCGWINSZ,
  TIOCSWINSZ,
  canRead,
  canWrite,
  statusFlags,
} from './constants.js';
import type { DirEntry, FileStat, OpenFile } from './file.js';
import { hostErrno } from './hosterrno.js';
import { heldPath } from './hostat.js';
import type { SharedObject } from '../mm/shared.js';
import { type PageCache, fileKey } from '../mm/pagecache.js';
import { devMajor, devMinor } from '../abi/statx.js';
import { byteString, stringBytes } from '../abi/bytes.js';

const c = fs.constants;

/**
 * Guest open flags -> host flags. Node has no constants for O_PATH and O_TMPFILE; the host is
 * Linux, so their Linux values are passed through. O_APPEND is emulated (F_SETFL may toggle
 * it and Node cannot), O_DIRECT is dropped (Node's buffers are not aligned for it), and
 * O_NOCTTY is always set so the shim never acquires a controlling terminal for the guest.
 */
const hostFlagBits: ReadonlyArray<readonly [number, number]> = [
  [O_WRONLY, c.O_WRONLY],
  [O_RDWR, c.O_RDWR],
  [O_CREAT, c.O_CREAT],
  [O_EXCL, c.O_EXCL],
  [O_TRUNC, c.O_TRUNC],
  [O_DSYNC, c.O_DSYNC],
  [O_SYNC, c.O_SYNC],
  [O_NOATIME, c.O_NOATIME],
  [O_DIRECTORY, c.O_DIRECTORY],
  [O_NOFOLLOW, c.O_NOFOLLOW],
  [O_PATH, 0x200000],
  [O_TMPFILE, 0x410000],
];

function hostFlags(flags: number): number {
  // Always non-blocking on the host: a FIFO's open, and reads and writes of FIFOs, ttys and
  // devices, must never stall every task (fifo-open.ts and blocking-io.ts park the caller).
  let host = c.O_NOCTTY | c.O_NONBLOCK;
  for (const [guest, bits] of hostFlagBits) if ((flags & guest) === guest) host |= bits;
  return host;
}

export function fromHostStat(s: fs.BigIntStats): FileStat {
  return {
    dev: s.dev,
    ino: s.ino,
    nlink: Number(s.nlink),
    mode: Number(s.mode),
    uid: Number(s.uid),
    gid: Number(s.gid),
    rdev: s.rdev,
    size: s.size,
    blksize: Number(s.blksize),
    blocks: s.blocks,
    atimeNs: s.atimeNs,
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    birthtimeNs: s.birthtimeNs,
  };
}

function fstat(fd: number): FileStat | number {
  try {
    return fromHostStat(fs.fstatSync(fd, { bigint: true }));
  } catch (e) {
    return hostErrno(e);
  }
}

/** Node takes file positions as Numbers (writeSync silently treats a bigint as "current"). */
function position(pos: bigint): number | undefined {
  return pos <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(pos) : undefined;
}

/** The kernel's termios for the host terminal: Node cannot read it, so TCGETS reports what
 * the guest last set, starting from the `stty sane` defaults (kernel struct termios, 36 bytes). */
const termios = (() => {
  const t = new Uint8Array(36);
  const v = new DataView(t.buffer);
  v.setUint32(0, 0x4500, true); // ICRNL | IXON | IUTF8
  v.setUint32(4, 0x5, true); // OPOST | ONLCR
  v.setUint32(8, 0xbf, true); // B38400 | CS8 | CREAD
  v.setUint32(12, 0x8a3b, true); // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  t.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return t;
})();

function windowSize(): [cols: number, rows: number] {
  for (const s of [process.stdout, process.stderr]) if (s.isTTY && s.columns > 0) return [s.columns, s.rows];
  return [80, 24];
}

function ttyIoctl(cmd: number, arg: Uint8Array | null): number {
  switch (cmd) {
    case TCGETS:
      if (!arg || arg.length < termios.length) return -Errno.EFAULT;
      arg.set(termios);
      return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      if (!arg || arg.length < termios.length) return -Errno.EFAULT;
      termios.set(arg.subarray(0, termios.length));
      return 0;
    case TIOCGWINSZ: {
      if (!arg || arg.length < 8) return -Errno.EFAULT;
      const [cols, rows] = windowSize();
      const v = new DataView(arg.buffer, arg.byteOffset, 8);
      v.setUint16(0, rows, true);
      v.setUint16(2, cols, true);
      v.setUint32(4, 0, true);
      return 0;
    }
    case TIOCSWINSZ:
      return 0;
    default:
      return -Errno.ENOTTY;
  }
}

/** The host's offset and status flags of an inherited fd (Node has no lseek or fcntl). */
export function hostFdInfo(fd: number): { pos: bigint; flags: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const pos = /^pos:\s*(\d+)/m.exec(text);
    const flags = /^flags:\s*([0-7]+)/m.exec(text);
    if (pos && flags) return { pos: BigInt(pos[1]), flags: parseInt(flags[1], 8) };
  } catch {
    // no host procfs: callers fall back to defaults
  }
  return undefined;
}

interface HostFileInit {
  path: string;
  flags: number;
  fd: number;
  hostPath?: string;
  seekable: boolean;
  /** An fd of the shim process itself (stdio): its host offset is shared with whoever else
   * holds it, so I/O goes through that offset, and release does not close it. */
  inherited: boolean;
  /** The kernel's page cache, which I/O keeps coherent with mappings; absent: no kernel's. */
  pageCache?: PageCache;
}

/** A regular file (seekable) or a stream (pipe, tty, character device) on a host fd. */
export class HostFile extends BaseFile {
  readonly hostFd: number;
  readonly hostPath?: string;
  /** null: I/O uses the host fd's own offset (streams, and inherited files until a seek). */
  private pos: bigint | null;
  private readonly seekable: boolean;
  private readonly owned: boolean;
  private readonly isTty: boolean;
  /** Identity of the file for the page-cache lookup, found on first need. */
  private cacheKey: string | undefined;
  private readonly pageCache: PageCache | undefined;

  constructor(init: HostFileInit) {
    super(init.path, init.flags);
    this.hostFd = init.fd;
    this.hostPath = init.hostPath;
    this.seekable = init.seekable;
    this.owned = !init.inherited;
    this.pos = init.seekable && !init.inherited ? 0n : null;
    this.isTty = !init.seekable && tty.isatty(init.fd);
    this.pageCache = init.pageCache;
  }

  stat(): FileStat | number {
    return fstat(this.hostFd);
  }

  override read(buf: Uint8Array): number {
    const n = this.transfer('read', buf, this.pos);
    if (n > 0 && this.pos !== null) this.pos += BigInt(n);
    return n;
  }

  override write(buf: Uint8Array): number {
    let at = this.pos;
    if (at !== null && this.flags & O_APPEND) {
      const size = this.size();
      if (typeof size === 'number') return size;
      at = size;
    }
    const n = this.transfer('write', buf, at);
    if (n >= 0 && at !== null) this.pos = at + BigInt(n);
    return n;
  }

  override pread(buf: Uint8Array, pos: bigint): number {
    if (!this.seekable) return -Errno.ESPIPE;
    return pos < 0n ? -Errno.EINVAL : this.transfer('read', buf, pos);
  }

  override pwrite(buf: Uint8Array, pos: bigint): number {
    if (!this.seekable) return -Errno.ESPIPE;
    if (pos < 0n) return -Errno.EINVAL;
    if (this.flags & O_APPEND) {
      // Linux appends even for pwrite on an O_APPEND description.
      const size = this.size();
      if (typeof size === 'number') return size;
      pos = size;
    }
    return this.transfer('write', buf, pos);
  }

  override seek(offset: bigint, whence: number): bigint | number {
    if (!this.seekable) return -Errno.ESPIPE;
    const cur = this.pos ?? hostFdInfo(this.hostFd)?.pos ?? 0n;
    let target: bigint;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = cur + offset;
    else if (whence === SEEK_END || whence === SEEK_DATA || whence === SEEK_HOLE) {
      const size = this.size();
      if (typeof size === 'number') return size;
      if (whence === SEEK_END) target = size + offset;
      else if (offset < 0n || offset >= size) return -Errno.ENXIO;
      else target = whence === SEEK_DATA ? offset : size;
    } else return -Errno.EINVAL;
    if (target < 0n || target > MAX_OFFSET) return -Errno.EINVAL;
    // A no-op seek keeps an inherited file on the shared host offset.
    if (this.pos !== null || target !== cur) this.pos = target;
    return target;
  }

  override ioctl(cmd: number, arg: Uint8Array | null): number {
    if (this.isTty) return ttyIoctl(cmd, arg);
    if (cmd === FIONREAD && this.seekable) {
      if (!arg || arg.length < 4) return -Errno.EFAULT;
      const size = this.size();
      if (typeof size === 'number') return size;
      const cur = this.pos ?? hostFdInfo(this.hostFd)?.pos ?? 0n;
      const avail = size > cur ? size - cur : 0n;
      new DataView(arg.buffer, arg.byteOffset, 4).setInt32(0, avail > 0x7fffffffn ? 0x7fffffff : Number(avail), true);
      return 0;
    }
    return -Errno.ENOTTY;
  }

  override truncate(length: bigint): number {
    if (length < 0n || !canWrite(this.flags)) return -Errno.EINVAL;
    const len = position(length);
    if (len === undefined) return -Errno.EFBIG;
    try {
      const before = fs.fstatSync(this.hostFd, { bigint: true });
      fs.ftruncateSync(this.hostFd, len);
      this.pageCache?.truncated(before, len);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }

  override fsync(): number {
    try {
      fs.fsyncSync(this.hostFd);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }

  override release(): void {
    if (this.owned) closeQuietly(this.hostFd);
  }

  private size(): bigint | number {
    const st = this.stat();
    return typeof st === 'number' ? st : st.size;
  }

  private transfer(op: 'read' | 'write', buf: Uint8Array, at: bigint | null): number {
    if (!(op === 'read' ? canRead(this.flags) : canWrite(this.flags))) return -Errno.EBADF;
    const pos = at === null ? null : position(at);
    if (pos === undefined) return op === 'read' ? 0 : -Errno.EFBIG;
    let n: number;
    try {
      n = op === 'read'
        ? fs.readSync(this.hostFd, buf, 0, buf.length, pos)
        : fs.writeSync(this.hostFd, buf, 0, buf.length, pos);
    } catch (e) {
      return hostErrno(e);
    }
    const cache = n > 0 && pos !== null ? this.cachedPages() : undefined;
    if (cache !== undefined) {
      // Stores through a mapping reach the file when written back: until then reads take
      // them from the cache. A cache nothing maps holds none (and the file may have changed
      // under it), but it is kept up to date with writes in case a mapping reuses it.
      if (op === 'write') cache.absorb(buf.subarray(0, n), pos!);
      else if (cache.users > 0) cache.overlay(buf.subarray(0, n), pos!);
    }
    return n;
  }

  /** Pages of this file held by mappings, which file I/O must see and update. */
  private cachedPages(): SharedObject | undefined {
    const pageCache = this.pageCache;
    if (!this.seekable || pageCache === undefined || pageCache.empty) return undefined;
    if (this.cacheKey === undefined) {
      try {
        const st = fs.fstatSync(this.hostFd, { bigint: true });
        this.cacheKey = fileKey(devMajor(st.dev), devMinor(st.dev), st.ino);
      } catch {
        return undefined;
      }
    }
    return pageCache.lookup(this.cacheKey);
  }
}

/** A host directory; '..' of the guest root is the root itself. */
export class HostDir extends DirFile {
  constructor(
    path: string,
    flags: number,
    readonly hostFd: number,
    readonly hostPath: string,
  ) {
    super(path, flags);
  }

  stat(): FileStat | number {
    return fstat(this.hostFd);
  }

  override fsync(): number {
    try {
      fs.fsyncSync(this.hostFd);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }

  override release(): void {
    closeQuietly(this.hostFd);
  }

  protected scan(): DirEntry[] | number {
    // Through the open fd: the directory may have been renamed since it was opened.
    const base = stringBytes(`/proc/self/fd/${this.hostFd}/`);
    try {
      const self = fs.fstatSync(this.hostFd, { bigint: true }).ino;
      const parent = this.path === '/' ? self : fs.lstatSync(Buffer.concat([base, stringBytes('..')]), { bigint: true }).ino;
      const entries: DirEntry[] = [
        { ino: self, type: DT_DIR, name: '.' },
        { ino: parent, type: DT_DIR, name: '..' },
      ];
      // opendir rather than readdirSync: the host's own order (what the guest would see
      // natively), where readdirSync sorts.
      // 'buffer' (missing from Node's OpenDirOptions type) keeps names that are not UTF-8.
      const dir = fs.opendirSync(base, { encoding: 'buffer' as BufferEncoding });
      try {
        for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
          // Dirent's name is a Buffer under the 'buffer' encoding (Node's types say string).
          const name = d.name as unknown as Buffer;
          const st = fs.lstatSync(Buffer.concat([base, name]), { bigint: true, throwIfNoEntry: false });
          if (st) entries.push({ ino: st.ino, type: Number(st.mode & BigInt(S_IFMT)) >> 12, name: byteString(name) });
        }
      } finally {
        dir.closeSync();
      }
      return entries;
    } catch (e) {
      // A removed directory lists as empty on Linux.
      const err = hostErrno(e);
      return err === -Errno.ENOENT ? [] : err;
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // nothing the guest can act on
  }
}

function exists(hostPath: Buffer): boolean {
  try {
    return fs.lstatSync(hostPath, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Opens a resolved host path with Linux open flags. mode is the creation mode with the
 * guest's umask already applied; the host's umask is undone on files this call creates.
 */
export function openHost(hostPath: Buffer, guestPath: string, flags: number, mode: number, pageCache?: PageCache): OpenFile | number {
  const tmpfile = (flags & O_TMPFILE) === O_TMPFILE;
  const creating = tmpfile || ((flags & (O_CREAT | O_PATH)) === O_CREAT && !exists(hostPath));
  let fd: number;
  try {
    fd = fs.openSync(hostPath, hostFlags(flags), mode & 0o7777);
  } catch (e) {
    return hostErrno(e);
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (creating && (Number(st.mode) & 0o7777) !== (mode & 0o7777)) fs.fchmodSync(fd, mode & 0o7777);
    const status = statusFlags(flags);
    // Reopened through ushim's own fd (Linux's magic link), never through the path again.
    const held = heldPath(fd);
    if (flags & O_PATH) return new PathFile(guestPath, status, () => fstat(fd), () => closeQuietly(fd), fd, held);
    if (st.isDirectory()) return new HostDir(guestPath, status, fd, held);
    const path = tmpfile ? `${guestPath.replace(/\/$/, '')}/#${st.ino} (deleted)` : guestPath;
    const seekable = st.isFile() || st.isBlockDevice();
    return new HostFile({ path, flags: status, fd, hostPath: tmpfile ? undefined : held, seekable, inherited: false, pageCache });
  } catch (e) {
    closeQuietly(fd);
    return hostErrno(e);
  }
}
