// struct new_utsname (uname): six char[65] fields.
import { decodeFixedString, encodeFixedString } from './bytes.js';

export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export const UTSNAME_FIELD_SIZE = 65;
export const UTSNAME_SIZE = 390;
export const UTSNAME_OFFSETS = {
  sysname: 0,
  nodename: 65,
  release: 130,
  version: 195,
  machine: 260,
  domainname: 325,
} as const;

const FIELDS = Object.keys(UTSNAME_OFFSETS) as (keyof Utsname)[];

/** Strings longer than 64 bytes are truncated, as the kernel limits them on sethostname. */
export function encodeUtsname(view: DataView, off: number, u: Utsname): void {
  for (const f of FIELDS) encodeFixedString(view, off + UTSNAME_OFFSETS[f], UTSNAME_FIELD_SIZE, u[f]);
}

export function decodeUtsname(view: DataView, off: number): Utsname {
  const get = (f: keyof Utsname) => decodeFixedString(view, off + UTSNAME_OFFSETS[f], UTSNAME_FIELD_SIZE);
  return {
    sysname: get('sysname'),
    nodename: get('nodename'),
    release: get('release'),
    version: get('version'),
    machine: get('machine'),
    domainname: get('domainname'),
  };
}
