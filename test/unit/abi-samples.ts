// Sample values shared by the struct codec tests: distinctive values, some at their type's
// limits, so a wrong width, offset or signedness shows.
import type { FileStat } from '../../kernel-shim/fs/file.js';
import type { Siginfo } from '../../kernel-shim/abi/siginfo.js';
import type { StatfsValue } from '../../kernel-shim/abi/statfs.js';
import { makeDev } from '../../kernel-shim/abi/statx.js';
import type { SysinfoValue } from '../../kernel-shim/abi/sysinfo.js';
import type { CloneArgs } from '../../kernel-shim/abi/thread.js';
import { NCCS } from '../../kernel-shim/abi/tty.js';

export function encoded(size: number, encode: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  encode(new DataView(bytes.buffer));
  return bytes;
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const u64 = (v: bigint | number) => BigInt.asUintN(64, BigInt(v));

export const fileStat: FileStat = {
  dev: 0x0102030405060708n,
  ino: 0x1112131415161718n,
  nlink: 0x21222324,
  mode: 0o100644,
  uid: 0xfffffffe,
  gid: 1000,
  rdev: makeDev(0x123, 0x45678),
  size: 0x7fffffffffff0001n,
  blksize: 4096,
  blocks: 0x123456789an,
  atimeNs: 1_700_000_000_123_456_789n,
  mtimeNs: -1n,
  ctimeNs: 0n,
  birthtimeNs: 1_600_000_000_000_000_001n,
};

export const statfsValue: StatfsValue = {
  type: 0xef53,
  bsize: 4096n,
  blocks: 0x100000001n,
  bfree: 0x200000002n,
  bavail: 0x300000003n,
  files: 0x400000004n,
  ffree: 0x500000005n,
  fsid: [-2, 0x12345678],
  namelen: 255,
  frsize: 1024n,
  flags: 0x1020,
};

export const sysinfoValue: SysinfoValue = {
  uptime: 123456n,
  loads: [65536n, 32768n, 1n],
  totalram: 0x600000000n,
  freeram: 0x500000000n,
  sharedram: 3n,
  bufferram: 4n,
  totalswap: 5n,
  freeswap: 6n,
  procs: 0xfedc,
  totalhigh: 7n,
  freehigh: 8n,
  memUnit: 1,
};

export const cloneArgs: CloneArgs = {
  flags: 0x1_0000_7f00n,
  pidfd: 0x1001n,
  childTid: 0x1002n,
  parentTid: 0x1003n,
  exitSignal: 17n,
  stack: 0x7f0000000000n,
  stackSize: 0x9000n,
  tls: 0x1004n,
  setTid: 0x1005n,
  setTidSize: 1n,
  cgroup: 0xffff_ffff_ffff_fff0n,
};

export const killInfo: Siginfo = { signo: 10, errno: 0, code: 0, layout: 'kill', pid: 1234, uid: 1000 };
export const chldInfo: Siginfo = {
  signo: 17,
  errno: 0,
  code: 1,
  layout: 'chld',
  pid: 77,
  uid: 0xfffffffe,
  status: -3,
  utime: 5n,
  stime: 6n,
};
export const faultInfo: Siginfo = { signo: 7, errno: 0, code: 4, layout: 'fault', addr: 0xdead_beef_f00dn, addrLsb: 12 };
export const sysInfo: Siginfo = { signo: 31, errno: 0, code: 1, layout: 'sys', callAddr: 0x401000n, syscall: 39, arch: 0xc000003e };
export const timerInfo: Siginfo = { signo: 34, errno: 0, code: -2, layout: 'timer', timerId: 3, overrun: 9, value: 0x1234n };
export const pollInfo: Siginfo = { signo: 29, errno: 0, code: -5, layout: 'poll', band: -1n, fd: 4 };

export const termiosCc = Uint8Array.from({ length: NCCS }, (_, i) => 0x80 + i);
