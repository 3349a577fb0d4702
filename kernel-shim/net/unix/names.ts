// The names AF_UNIX sockets are bound to, per kernel: abstract names (one namespace per
// socket type, as Linux hashes the type into the name), and socket files in the guest's file
// system, found again by the file's identity (device and inode) so that any name of the file
// reaches the socket. A bound socket holds its file open (O_PATH), so the inode number cannot
// be reused while the binding lasts.
import { Errno } from '../../errno.js';
import { O_NOFOLLOW, O_PATH, S_IFMT, S_IFSOCK } from '../../fs/constants.js';
import { releaseFile } from '../../fs/fdtable.js';
import type { OpenFile } from '../../fs/file.js';
import type { Task } from '../../task.js';
import { type UnixAddress, autobindAddress } from './address.js';
import type { UnixSocket } from './unix-socket.js';

/** The autobind name space: five hex digits. */
const AUTOBIND_NAMES = 0x100000;
const W_OK = 2;

export class UnixNames {
  private readonly abstract = new Map<string, UnixSocket>();
  private readonly files = new Map<string, UnixSocket>();
  /** The last autobound number; Linux starts at a random one. */
  private autobindNumber: number | undefined;

  /** bind(2) to a name; EINVAL when the socket has a name already. */
  bind(t: Task, socket: UnixSocket, addr: UnixAddress): number {
    if (addr.kind === 'path') return this.bindFile(t, socket, addr.path, addr.name);
    if (socket.name !== null) return -Errno.EINVAL;
    const key = `${socket.type}:${addr.key}`;
    if (this.abstract.has(key)) return -Errno.EADDRINUSE;
    this.abstract.set(key, socket);
    socket.setName(addr.name, () => this.abstract.delete(key));
    return 0;
  }

  /** unix_autobind: a free abstract name of five hex digits; a named socket keeps its name. */
  autobind(t: Task, socket: UnixSocket): number {
    if (socket.name !== null) return 0;
    let n = this.autobindNumber ?? new DataView(t.kernel.random.bytes(4).buffer).getUint32(0, true) % AUTOBIND_NAMES;
    for (let tries = 0; tries < AUTOBIND_NAMES; tries++) {
      n = (n + 1) % AUTOBIND_NAMES;
      const addr = autobindAddress(n);
      if (this.abstract.has(`${socket.type}:${addr.key}`)) continue;
      this.autobindNumber = n;
      return this.bind(t, socket, addr);
    }
    return -Errno.ENOSPC;
  }

  /**
   * The socket a name reaches (unix_find_other): ECONNREFUSED when nothing is bound there,
   * EPROTOTYPE for a socket file bound by another socket type, the path's own errors.
   */
  find(t: Task, addr: UnixAddress, type: number): UnixSocket | number {
    if (addr.kind === 'abstract') return this.abstract.get(`${type}:${addr.key}`) ?? -Errno.ECONNREFUSED;
    const vfs = t.process.vfs;
    const cwd = t.process.fs.current();
    const st = vfs.stat(addr.path, true, cwd);
    if (typeof st === 'number') return st;
    const access = vfs.access(addr.path, W_OK, cwd);
    if (access < 0) return access;
    if ((st.mode & S_IFMT) !== S_IFSOCK) return -Errno.ECONNREFUSED;
    const socket = this.files.get(`${st.dev}:${st.ino}`);
    if (socket === undefined) return -Errno.ECONNREFUSED;
    return socket.type === type ? socket : -Errno.EPROTOTYPE;
  }

  /**
   * unix_bind_bsd: the socket file is made first (an existing path is EADDRINUSE), and
   * removed again when the socket turns out to be named already.
   */
  private bindFile(t: Task, socket: UnixSocket, path: string, name: Uint8Array): number {
    const p = t.process;
    const cwd = p.fs.current();
    const made = p.vfs.mknod(path, S_IFSOCK | (0o777 & ~p.fs.umask), 0n, cwd);
    if (made < 0) return made === -Errno.EEXIST ? -Errno.EADDRINUSE : made;
    if (socket.name !== null) {
      p.vfs.unlink(path, cwd);
      return -Errno.EINVAL;
    }
    const held = p.vfs.open(path, O_PATH | O_NOFOLLOW, 0, cwd);
    if (typeof held === 'number') return held;
    const st = held.stat();
    if (typeof st === 'number') {
      releaseFile(held);
      return st;
    }
    const key = `${st.dev}:${st.ino}`;
    this.files.set(key, socket);
    socket.setName(name, () => this.unbindFile(key, held));
    return 0;
  }

  private unbindFile(key: string, held: OpenFile): void {
    this.files.delete(key);
    releaseFile(held);
  }
}
