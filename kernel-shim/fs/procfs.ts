// The virtual /proc. Process state comes from a ProcProvider (the kernel implements it);
// every file is a snapshot taken at open time and reports size 0 like Linux procfs.
import { stringBytes } from '../abi/bytes.js';
import { BufferFile } from './bufferfile.js';
import { SysctlNumberFile } from './sysctl-file.js';
import { canRead, canWrite, makedev } from './constants.js';
import type { OpenFile } from './file.js';
import { VirtualTree, type VNode, type VirtualTreeOptions } from './virtual.js';

const PROC_SUPER_MAGIC = 0x9fa0;

export interface ProcProvider {
  /** The calling process: what /proc/self points at. */
  self(): number;
  /** Live process ids, for the /proc listing and for /proc/<pid> lookups. */
  pids(): number[];
  /** Guest path of the executable; undefined makes /proc/<pid>/exe absent. */
  exe(pid: number): string | undefined;
  /** Guest path of the working directory. */
  cwd(pid: number): string;
  /** Guest path of the root directory (chroot moves it). */
  root(pid: number): string;
  /**
   * A guest path as the calling process names it from its root (Linux's d_path); a path
   * outside that root is left whole.
   */
  seenPath(path: string): string;
  /** NUL-separated arguments, as the process's memory holds them. */
  cmdline(pid: number): Uint8Array;
  environ(pid: number): Uint8Array;
  /** The auxiliary vector as the kernel wrote it (pairs of u64, ending with AT_NULL). */
  auxv(pid: number): Uint8Array;
  /** Full contents of the text files below, newline-terminated. */
  maps(pid: number): string;
  stat(pid: number): string;
  status(pid: number): string;
  mounts(): string;
  vmstat(): string;
  meminfo(): string;
  /** vm.nr_hugepages, and setting it (root only: the file is 0644 root's). */
  nrHugepages(): number;
  setNrHugepages(n: number): void;
  cpuinfo(): string;
  uptime(): string;
  version(): string;
  /** Single values; procfs adds the newline. */
  comm(pid: number): string;
  osrelease(): string;
  hostname(): string;
  /** /proc/sysvipc/<kind>: the IPC objects of the namespace. */
  sysvipc(kind: 'shm' | 'sem' | 'msg'): string;
  /** Open fds of a process and their descriptions (/proc/<pid>/fd). */
  fds(pid: number): number[];
  fd(pid: number, fd: number): OpenFile | undefined;
}

const SYSVIPC_FILES = ['msg', 'sem', 'shm'] as const;

const canonicalInt = /^(0|[1-9][0-9]{0,9})$/;

function dir(perm: number, children: () => string[], owned = false): VNode {
  return { type: 'dir', perm, children, owned };
}

function link(target: string, owned = false): VNode {
  return { type: 'lnk', perm: 0o777, target, owned };
}

/** A process's link to one of its objects (exe, cwd, root): a magic link. */
function objectLink(target: string): VNode {
  return { ...link(target, true), magic: true };
}

/** Files of /proc/<pid>, owned by the user the guest runs as. */
const pidEntries = ['auxv', 'cmdline', 'comm', 'cwd', 'environ', 'exe', 'fd', 'maps', 'mounts', 'root', 'stat', 'status'];

export class ProcFs extends VirtualTree {
  private readonly globals: Record<string, VNode>;
  private readonly kernel: Record<string, VNode>;
  private readonly vm: Record<string, VNode>;

  constructor(
    private readonly provider: ProcProvider,
    opts: VirtualTreeOptions,
  ) {
    super('proc', makedev(0, 21), PROC_SUPER_MAGIC, opts);
    const p = provider;
    this.globals = {
      mounts: link('self/mounts'),
      vmstat: this.file(0o444, () => p.vmstat()),
      meminfo: this.file(0o444, () => p.meminfo()),
      cpuinfo: this.file(0o444, () => p.cpuinfo()),
      uptime: this.file(0o444, () => p.uptime()),
      version: this.file(0o444, () => p.version()),
      sys: dir(0o555, () => ['kernel', 'vm']),
      sysvipc: dir(0o555, () => [...SYSVIPC_FILES]),
    };
    this.kernel = {
      osrelease: this.file(0o444, () => p.osrelease() + '\n'),
      hostname: this.file(0o444, () => p.hostname() + '\n'),
    };
    this.vm = { nr_hugepages: this.sysctl(() => p.nrHugepages(), (n) => p.setNrHugepages(n)) };
  }

  node(rest: string[]): VNode | undefined {
    const [first, ...more] = rest;
    if (first === undefined) {
      return dir(0o555, () => ['self', ...Object.keys(this.globals), ...this.provider.pids().map(String)]);
    }
    if (first === 'self' && more.length === 0) return link(String(this.provider.self()));
    if (canonicalInt.test(first)) {
      const pid = Number(first);
      return this.provider.pids().includes(pid) ? this.pidNode(pid, more) : undefined;
    }
    if (first === 'sys' && (more[0] === 'kernel' || more[0] === 'vm')) {
      const files = more[0] === 'kernel' ? this.kernel : this.vm;
      if (more.length === 1) return dir(0o555, () => Object.keys(files));
      return more.length === 2 && Object.hasOwn(files, more[1]) ? files[more[1]] : undefined;
    }
    if (first === 'sysvipc' && more.length === 1) {
      const kind = SYSVIPC_FILES.find((f) => f === more[0]);
      return kind === undefined ? undefined : this.file(0o444, () => this.provider.sysvipc(kind));
    }
    return more.length === 0 && Object.hasOwn(this.globals, first) ? this.globals[first] : undefined;
  }

  private pidNode(pid: number, rest: string[]): VNode | undefined {
    const p = this.provider;
    const [name, ...more] = rest;
    if (name === undefined) return dir(0o555, () => pidEntries, true);
    if (name === 'fd') {
      if (more.length === 0) return dir(0o500, () => p.fds(pid).map(String), true);
      if (more.length !== 1 || !canonicalInt.test(more[0])) return undefined;
      const file = p.fd(pid, Number(more[0]));
      if (!file) return undefined;
      // Linux gives fd links r-x/-wx bits after the description's access mode.
      const perm = (canRead(file.flags) ? 0o500 : 0) | (canWrite(file.flags) ? 0o300 : 0);
      return { type: 'lnk', perm, target: p.seenPath(file.path), file, owned: true, magic: true };
    }
    if (more.length > 0) return undefined;
    switch (name) {
      case 'exe': {
        const exe = p.exe(pid);
        return exe === undefined ? undefined : objectLink(p.seenPath(exe));
      }
      case 'cwd':
        return objectLink(p.seenPath(p.cwd(pid)));
      case 'root':
        return objectLink(p.seenPath(p.root(pid)));
      case 'cmdline':
        return this.file(0o444, () => p.cmdline(pid), true);
      case 'environ':
        return this.file(0o400, () => p.environ(pid), true);
      case 'auxv':
        return this.file(0o400, () => p.auxv(pid), true);
      case 'maps':
        return this.file(0o444, () => p.maps(pid), true);
      case 'stat':
        return this.file(0o444, () => p.stat(pid), true);
      case 'status':
        return this.file(0o444, () => p.status(pid), true);
      case 'comm':
        return this.file(0o444, () => p.comm(pid) + '\n', true);
      case 'mounts':
        return this.file(0o444, () => p.mounts(), true);
      default:
        return undefined;
    }
  }

  /** A number root may write (0644). */
  private sysctl(get: () => number, set: (n: number) => void): VNode {
    const node: VNode = { type: 'reg', perm: 0o644 };
    node.open = (path, flags) => new SysctlNumberFile(path, flags, get(), this.stat(node, path), set);
    return node;
  }

  private file(perm: number, content: () => Uint8Array | string, owned = false): VNode {
    const node: VNode = { type: 'reg', perm, owned };
    node.open = (path, flags) => {
      const data = content();
      return new BufferFile(path, flags, typeof data === 'string' ? stringBytes(data) : data, this.stat(node, path));
    };
    return node;
  }
}
