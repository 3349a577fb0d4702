// struct sockaddr_un as AF_UNIX reads it (unix_validate_addr, unix_mkname_bsd): a path name
// ends at its first NUL or at the given length, and is reported back with one NUL after it;
// an abstract name (sun_path[0] == 0) is exactly the given bytes.
import { byteString } from '../../abi/bytes.js';
import { Errno } from '../../errno.js';
import { AF_UNIX } from '../constants.js';

/** offsetof(struct sockaddr_un, sun_path). */
export const SUN_PATH_OFFSET = 2;
/** sizeof(struct sockaddr_un). */
const SOCKADDR_UN_SIZE = 110;

export interface AbstractAddress {
  kind: 'abstract';
  /** The name's bytes after the family, one character per byte. */
  key: string;
  name: Uint8Array;
}
export type UnixAddress = { kind: 'path'; path: string; name: Uint8Array } | AbstractAddress;


function familyOf(raw: Uint8Array): number {
  return raw.length < 2 ? -1 : raw[0] | (raw[1] << 8);
}

/** bind(2) with only the family: the caller asks for an autobound name. */
export function isAutobindRequest(raw: Uint8Array): boolean {
  return raw.length === SUN_PATH_OFFSET && familyOf(raw) === AF_UNIX;
}

/** A name to bind or reach; EINVAL for a length outside (2, 110] or another family. */
export function parseUnixAddress(raw: Uint8Array): UnixAddress | number {
  if (raw.length <= SUN_PATH_OFFSET || raw.length > SOCKADDR_UN_SIZE || familyOf(raw) !== AF_UNIX) return -Errno.EINVAL;
  if (raw[SUN_PATH_OFFSET] === 0) {
    let key = '';
    for (let i = SUN_PATH_OFFSET; i < raw.length; i++) key += String.fromCharCode(raw[i]);
    return { kind: 'abstract', key, name: raw.slice() };
  }
  let end = raw.indexOf(0, SUN_PATH_OFFSET);
  if (end < 0) end = raw.length;
  const name = new Uint8Array(end + 1);
  name.set(raw.subarray(0, end));
  return { kind: 'path', path: byteString(raw.subarray(SUN_PATH_OFFSET, end)), name };
}

/** What an unnamed socket reports: just the family. */
export function unnamedAddress(): Uint8Array {
  return Uint8Array.of(AF_UNIX, 0);
}

/** An autobound name: a NUL and five hex digits of `n`, as unix_autobind writes it. */
export function autobindAddress(n: number): AbstractAddress {
  const digits = n.toString(16).padStart(5, '0');
  const name = new Uint8Array(SUN_PATH_OFFSET + 6);
  name[0] = AF_UNIX;
  for (let i = 0; i < 5; i++) name[SUN_PATH_OFFSET + 1 + i] = digits.charCodeAt(i);
  return { kind: 'abstract', key: `\0${digits}`, name };
}
