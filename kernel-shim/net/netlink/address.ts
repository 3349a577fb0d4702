// struct sockaddr_nl between bytes and fields: nl_family (u16), nl_pad, nl_pid (u32), nl_groups (u32).
import { Errno } from '../../errno.js';
import { AF_NETLINK } from '../constants.js';
import { SOCKADDR_NL_SIZE } from './constants.js';

export interface NetlinkAddress {
  /** The port id (0: the kernel). */
  pid: number;
  /** A bit mask of multicast groups 1..32. */
  groups: number;
}

export function encodeNetlinkAddress(address: NetlinkAddress): Uint8Array {
  const out = new Uint8Array(SOCKADDR_NL_SIZE);
  const view = new DataView(out.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(4, address.pid >>> 0, true);
  view.setUint32(8, address.groups >>> 0, true);
  return out;
}

/** A sockaddr_nl the caller passed: EINVAL when shorter than one or of another family. */
export function decodeNetlinkAddress(bytes: Uint8Array): NetlinkAddress | number {
  if (bytes.length < SOCKADDR_NL_SIZE) return -Errno.EINVAL;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0, true) !== AF_NETLINK) return -Errno.EINVAL;
  return { pid: view.getInt32(4, true), groups: view.getUint32(8, true) };
}
