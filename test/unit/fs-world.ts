// The world the file-system unit tests share: a host directory tree behind a Vfs, a fake
// procfs provider with its own fd table, and small helpers for results and file contents.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BufferFile } from '../../kernel-shim/fs/bufferfile.js';
import { O_RDONLY, S_IFIFO } from '../../kernel-shim/fs/constants.js';
import { FdTable } from '../../kernel-shim/fs/fdtable.js';
import type { DirEntry, FileStat, OpenFile } from '../../kernel-shim/fs/file.js';
import type { ProcProvider } from '../../kernel-shim/fs/procfs.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';

export function ok<T>(v: T | number): T {
  if (typeof v === 'number') assert.fail(`unexpected errno ${-v}`);
  return v;
}

export const enc = (s: string): Uint8Array => Buffer.from(s);
export const dec = (b: Uint8Array): string => Buffer.from(b).toString();

export function readAll(f: OpenFile): string {
  const out: Buffer[] = [];
  const buf = new Uint8Array(7);
  for (let n = f.read(buf); n > 0; n = f.read(buf)) out.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(out).toString();
}

export function names(entries: DirEntry[] | number): string[] {
  return ok(entries).map((e) => e.name);
}

export class FakeProc implements ProcProvider {
  readonly table = new FdTable();
  self(): number {
    return 42;
  }
  pids(): number[] {
    return [1, 42];
  }
  exe(pid: number): string | undefined {
    return pid === 42 ? '/bin/prog' : undefined;
  }
  cwd(): string {
    return '/home/user';
  }
  sysvipc(): string {
    return '';
  }
  root(): string {
    return '/';
  }
  seenPath(path: string): string {
    return path;
  }
  cmdline(): Uint8Array {
    return enc('prog\0-x\0');
  }
  environ(): Uint8Array {
    return enc('A=1\0');
  }
  auxv(): Uint8Array {
    return new Uint8Array(16);
  }
  maps(): string {
    return '00400000-00401000 r-xp 00000000 00:00 0 /bin/prog\n';
  }
  stat(pid: number): string {
    return `${pid} (prog) R 1\n`;
  }
  status(): string {
    return 'Name:\tprog\n';
  }
  mounts(): string {
    return '/ / rootfs rw 0 0\n';
  }
  vmstat(): string {
    return 'pgfault 7\n';
  }
  meminfo(): string {
    return 'MemTotal: 1 kB\n';
  }
  hugepages = 0;
  nrHugepages(): number {
    return this.hugepages;
  }
  setNrHugepages(n: number): void {
    this.hugepages = n;
  }
  cpuinfo(): string {
    return 'processor\t: 0\n';
  }
  uptime(): string {
    return '1.00 1.00\n';
  }
  version(): string {
    return 'Linux version 6.12.0\n';
  }
  comm(): string {
    return 'prog';
  }
  osrelease(): string {
    return '6.12.0';
  }
  hostname(): string {
    return 'box';
  }
  fds(): number[] {
    return this.table.list();
  }
  fd(_pid: number, fd: number): OpenFile | undefined {
    return this.table.get(fd)?.file;
  }
}

export const pipeStat: FileStat = {
  dev: 12n,
  ino: 7n,
  nlink: 1,
  mode: S_IFIFO | 0o600,
  uid: 0,
  gid: 0,
  rdev: 0n,
  size: 0n,
  blksize: 4096,
  blocks: 0n,
  atimeNs: 0n,
  mtimeNs: 0n,
  ctimeNs: 0n,
  birthtimeNs: 0n,
};

/** A description without a host path (like a pipe), counting its releases. */
export class Probe extends BufferFile {
  released = 0;
  constructor() {
    super('pipe:[7]', O_RDONLY, enc('probe'), pipeStat);
  }
  override release(): void {
    this.released++;
  }
}

export interface FsWorld {
  /** A fresh host directory: root/ is the guest's /; secret.txt sits outside it. */
  top: string;
  root: string;
  proc: FakeProc;
  vfs: Vfs;
}

export function createFsWorld(): FsWorld {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-fs-'));
  const root = path.join(top, 'root');
  const host = (p: string): string => path.join(root, p);
  fs.writeFileSync(path.join(top, 'secret.txt'), 'outside');
  for (const d of ['etc', 'home/user', 'bin', 'd/sub']) fs.mkdirSync(host(d), { recursive: true });
  fs.writeFileSync(host('etc/passwd'), 'root:x:0:0\n');
  fs.writeFileSync(host('bin/prog'), 'ELF');
  fs.symlinkSync('/etc', host('abs'));
  fs.symlinkSync('../../../../../etc', host('home/user/up'));
  fs.symlinkSync('../../../secret.txt', host('home/user/escape'));
  fs.symlinkSync('/loop2', host('loop1'));
  fs.symlinkSync('/loop1', host('loop2'));
  fs.symlinkSync('/created', host('dangling'));
  const proc = new FakeProc();
  let seed = 0;
  const vfs = new Vfs({
    root,
    proc,
    randomBytes: (n) => Uint8Array.from({ length: n }, () => seed++ & 0xff),
    hostTty: path.join(top, 'no-tty'),
    timeNs: 5_000_000_000n,
  });
  return { top, root, proc, vfs };
}

export function removeFsWorld(w: FsWorld): void {
  w.proc.table.closeAll();
  fs.rmSync(w.top, { recursive: true, force: true });
}

/**
 * Gives every test of the calling describe block a fresh world: `enter` receives it before
 * the test (to pick the parts the tests use), and it is removed after the test. `host` maps a
 * guest path to its host path in the current test's world.
 */
export function eachTestInFsWorld(enter: (w: FsWorld) => void = () => undefined): { host: (p: string) => string } {
  let world: FsWorld;
  beforeEach(() => {
    world = createFsWorld();
    enter(world);
  });
  afterEach(() => removeFsWorld(world));
  return { host: (p) => path.join(world.root, p) };
}
