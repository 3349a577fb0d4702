// Which socket options of a host socket the host keeps and which stay ushim's: ushim does all
// waiting (SO_RCVTIMEO/SO_SNDTIMEO), knows what it created (SO_TYPE, SO_DOMAIN, SO_PROTOCOL),
// answers SO_ERROR (with the errors it makes up under --net=none), and keeps SO_LINGER (a
// lingering close of the host fd would block ushim; the host gets only the abortive close,
// l_linger 0). Every other option, of every level, is the host's.
import { hostGetsockopt, hostSetsockopt } from '../../../host/socket.js';
import { SOL_SOCKET, SO_DOMAIN, SO_ERROR, SO_LINGER, SO_PASSCRED, SO_PROTOCOL, SO_RCVTIMEO, SO_SNDTIMEO, SO_TYPE } from '../constants.js';
import type { SockoptValue } from '../socket.js';

const SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
/** The longest option value the host is asked for (struct tcp_info and the like fit). */
const OPTION_ROOM = 1024;

/** SOL_SOCKET options the Socket base class answers for every family. */
const USHIM_OPTIONS = new Set([SO_ERROR, SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_RCVTIMEO, SO_SNDTIMEO, SO_RCVTIMEO_NEW, SO_SNDTIMEO_NEW, SO_PASSCRED, SO_LINGER]);

function ushims(level: number, name: number): boolean {
  return level === SOL_SOCKET && USHIM_OPTIONS.has(name);
}

/** getsockopt from the host, or undefined for the options ushim answers. */
export function hostLevelGet(fd: number, level: number, name: number): SockoptValue | undefined {
  return ushims(level, name) ? undefined : hostGetsockopt(fd, level, name, OPTION_ROOM);
}

/**
 * setsockopt on the host, or undefined for the options ushim keeps; `keep` stores such an
 * option in ushim and returns its result, after which SO_LINGER's abortive form reaches the host.
 */
export function hostLevelSet(fd: number, level: number, name: number, value: Uint8Array, keep: () => number): number {
  if (!ushims(level, name)) return hostSetsockopt(fd, level, name, value);
  const r = keep();
  if (r !== 0 || name !== SO_LINGER) return r;
  const view = new DataView(value.buffer, value.byteOffset, 8);
  const abortive = view.getInt32(0, true) !== 0 && view.getInt32(4, true) === 0;
  const linger = new Uint8Array(8);
  if (abortive) linger[0] = 1;
  return hostSetsockopt(fd, level, name, linger);
}
