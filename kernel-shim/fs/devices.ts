// The virtual /dev: memory devices, the controlling terminal and the fd aliases.
import { Errno } from '../errno.js';
import { stringBytes } from '../abi/bytes.js';
import { BaseFile } from './basefile.js';
import { O_ACCMODE, O_APPEND, O_NONBLOCK, canRead, canWrite, makedev } from './constants.js';
import type { FileStat } from './file.js';
import { openHost } from './hostfile.js';
import { VirtualTree, type VNode, type VirtualTreeOptions } from './virtual.js';
import { UffdDevice } from './uffd-file.js';

/** The misc minor Linux gives /dev/userfaultfd (dynamic; this is what 6.x hands out first). */
const USERFAULTFD_MINOR = 126;

const TMPFS_MAGIC = 0x01021994;

type MemKind = 'null' | 'zero' | 'full' | 'random';

/** /dev/null, zero, full, random, urandom: stateless, positions are ignored (lseek gives 0). */
class MemDevice extends BaseFile {
  constructor(
    path: string,
    flags: number,
    private readonly kind: MemKind,
    private readonly meta: FileStat,
    private readonly randomBytes: (n: number) => Uint8Array,
  ) {
    super(path, flags);
  }
  stat(): FileStat {
    return { ...this.meta };
  }
  override read(buf: Uint8Array): number {
    if (!canRead(this.flags)) return -Errno.EBADF;
    if (this.kind === 'null') return 0;
    if (this.kind === 'random') buf.set(this.randomBytes(buf.length));
    else buf.fill(0);
    return buf.length;
  }
  override write(buf: Uint8Array): number {
    if (!canWrite(this.flags)) return -Errno.EBADF;
    return this.kind === 'full' ? -Errno.ENOSPC : buf.length;
  }
  override pread(buf: Uint8Array, _pos: bigint): number {
    return this.read(buf);
  }
  override pwrite(buf: Uint8Array, _pos: bigint): number {
    return this.write(buf);
  }
  override seek(_offset: bigint, _whence: number): bigint {
    return 0n;
  }
}

export interface DevFsOptions extends VirtualTreeOptions {
  /** Source of /dev/random and /dev/urandom bytes (replaced in deterministic mode). */
  randomBytes(n: number): Uint8Array;
  /** The host terminal behind /dev/tty. */
  hostTty?: string;
}

export class DevFs extends VirtualTree {
  private readonly nodes = new Map<string, VNode>();

  constructor(opts: DevFsOptions) {
    super('dev', makedev(0, 5), TMPFS_MAGIC, opts);
    const mem = (kind: MemKind, minor: number): VNode => {
      const node: VNode = { type: 'chr', perm: 0o666, rdev: makedev(1, minor) };
      node.open = (path, flags) => new MemDevice(path, flags, kind, this.stat(node, path), opts.randomBytes);
      return node;
    };
    this.nodes.set('null', mem('null', 3));
    this.nodes.set('zero', mem('zero', 5));
    this.nodes.set('full', mem('full', 7));
    this.nodes.set('random', mem('random', 8));
    this.nodes.set('urandom', mem('random', 9));
    const hostTty = opts.hostTty ?? '/dev/tty';
    this.nodes.set('tty', {
      type: 'chr',
      perm: 0o666,
      rdev: makedev(5, 0),
      // Without a controlling terminal Linux fails the open with ENXIO.
      open: (path, flags) => {
        const file = openHost(stringBytes(hostTty), path, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), 0);
        return typeof file === 'number' ? -Errno.ENXIO : file;
      },
    });
    // /dev/userfaultfd (misc device, root only): USERFAULTFD_IOC_NEW makes a uffd (kernel-shim/fs/uffd-file.ts).
    const uffd: VNode = { type: 'chr', perm: 0o600, rdev: makedev(10, USERFAULTFD_MINOR) };
    uffd.open = (path, flags) => new UffdDevice(path, flags, () => this.stat(uffd, path));
    this.nodes.set('userfaultfd', uffd);
    ['stdin', 'stdout', 'stderr'].forEach((name, fd) => this.nodes.set(name, link(`/proc/self/fd/${fd}`)));
    this.nodes.set('fd', link('/proc/self/fd'));
  }

  node(rest: string[]): VNode | undefined {
    if (rest.length === 0) return { type: 'dir', perm: 0o755, children: () => [...this.nodes.keys()] };
    return rest.length === 1 ? this.nodes.get(rest[0]) : undefined;
  }
}

function link(target: string): VNode {
  return { type: 'lnk', perm: 0o777, target };
}
