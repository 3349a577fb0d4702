// strace's decoding of fcntl's structures: struct flock, {l_type=F_WRLCK, l_whence=SEEK_SET,
// l_start=0, l_len=0} (with l_pid when F_GETLK fills it), and struct f_owner_ex,
// {type=F_OWNER_PID, pid=42}.
import { WHENCE } from '../kernel-shim/abi/xlat.js';
import { type GuestReader, pointer, readView, xval } from './strace-values.js';

const LOCK_TYPES: readonly (readonly [string, number])[] = [
  ['F_RDLCK', 0],
  ['F_WRLCK', 1],
  ['F_UNLCK', 2],
];

const OWNER_TYPES: readonly (readonly [string, number])[] = [
  ['F_OWNER_TID', 0],
  ['F_OWNER_PID', 1],
  ['F_OWNER_PGRP', 2],
];

function flockFields(addr: bigint, withPid: boolean, mem: GuestReader): string {
  const view = readView(addr, 32, mem);
  if (view === null) return pointer(addr);
  const parts = [
    `l_type=${xval(BigInt(view.getUint16(0, true)), LOCK_TYPES, 'F_???')}`,
    `l_whence=${xval(BigInt(view.getUint16(2, true)), WHENCE, 'SEEK_???')}`,
    `l_start=${view.getBigInt64(8, true)}`,
    `l_len=${view.getBigInt64(16, true)}`,
  ];
  if (withPid) parts.push(`l_pid=${view.getInt32(24, true)}`);
  return `{${parts.join(', ')}}`;
}

/** The lock F_SETLK/F_SETLKW/F_OFD_SETLK* read. */
export function flock(addr: bigint, mem: GuestReader): string {
  return flockFields(addr, false, mem);
}

/** The lock F_GETLK/F_OFD_GETLK report, with its owner. */
export function flockReport(addr: bigint, mem: GuestReader): string {
  return flockFields(addr, true, mem);
}

export function fOwnerEx(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  if (view === null) return pointer(addr);
  return `{type=${xval(BigInt(view.getUint32(0, true)), OWNER_TYPES, 'F_OWNER_???')}, pid=${view.getInt32(4, true)}}`;
}
