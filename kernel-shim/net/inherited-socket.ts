// Sockets ushim inherited from its own parent, as plain host files (Node's child_process
// stdio 'pipe's are socketpairs): the calls that only look at or tune a socket reach the host
// socket, so a guest that asks what its stdout is (libuv asks getsockname) gets the answer it
// gets natively instead of ENOTSOCK.
import { hostGetsockopt, hostPeerName, hostSetsockopt, hostShutdown, hostSockName } from '../../host/socket.js';
import { S_IFMT, S_IFSOCK } from '../fs/constants.js';
import type { OpenFile } from '../fs/file.js';
import type { Task } from '../task.js';
import type { Socket, SockoptValue } from './socket.js';

/** The socket operations getsockname, getpeername, get/setsockopt and shutdown use. */
export type SocketQueries = Pick<Socket, 'getsockname' | 'getpeername' | 'shutdown'> & {
  getsockopt(t: Task, level: number, name: number): SockoptValue;
  setsockopt(t: Task, level: number, name: number, value: Uint8Array): number;
};

/** The largest option value asked of the host (no socket option Linux has is larger). */
const OPTION_ROOM = 256;

/** Those operations on an inherited host socket, or null when the file is not one. */
export function inheritedSocket(file: OpenFile): SocketQueries | null {
  const fd = file.hostFd;
  if (fd === undefined) return null;
  const st = file.stat();
  if (typeof st === 'number' || (st.mode & S_IFMT) !== S_IFSOCK) return null;
  return {
    getsockname: () => hostSockName(fd),
    getpeername: () => hostPeerName(fd),
    shutdown: (how) => hostShutdown(fd, how),
    getsockopt: (_t, level, name) => hostGetsockopt(fd, level, name, OPTION_ROOM),
    setsockopt: (_t, level, name, value) => hostSetsockopt(fd, level, name, value),
  };
}
