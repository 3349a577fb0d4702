// The struct codecs against the C compiler: a generated program prints sizeof/offsetof for every
// field in our offset tables and reads back the bytes our encoders wrote through the real
// struct definitions, so both the layout and each field's width and signedness are checked.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStat } from '../../kernel-shim/fs/file.js';
import {
  decodeDirent,
  decodeDirent64,
  DIRENT_OFFSETS,
  DIRENT64_OFFSETS,
  direntRecLen,
  dirent64RecLen,
  DT,
  encodeDirents,
  encodeDirents64,
} from '../../kernel-shim/abi/dirent.js';
import { decodeIovecs, encodeIovec, IOVEC_OFFSETS, IOVEC_SIZE } from '../../kernel-shim/abi/iovec.js';
import { decodePollfd, encodePollfd, POLLFD_OFFSETS, POLLFD_SIZE } from '../../kernel-shim/abi/pollfd.js';
import { decodeRlimit, encodeRlimit, RLIM_INFINITY, RLIMIT_OFFSETS, RLIMIT_SIZE } from '../../kernel-shim/abi/rlimit.js';
import { decodeRusage, encodeRusage, RUSAGE_OFFSETS, RUSAGE_SIZE } from '../../kernel-shim/abi/rusage.js';
import {
  decodeSiginfo,
  encodeSiginfo,
  SIGINFO_OFFSETS,
  SIGINFO_SIZE,
  siginfoLayout,
  type Siginfo,
} from '../../kernel-shim/abi/siginfo.js';
import {
  decodeSigaction,
  decodeStackT,
  encodeSigaction,
  encodeStackT,
  SIGACTION_OFFSETS,
  SIGACTION_SIZE,
  SS_AUTODISARM,
  STACK_T_OFFSETS,
  STACK_T_SIZE,
} from '../../kernel-shim/abi/signal.js';
import { decodeStat, encodeStat, STAT_OFFSETS, STAT_SIZE } from '../../kernel-shim/abi/stat.js';
import { decodeStatfs, encodeStatfs, STATFS_OFFSETS, STATFS_SIZE, type StatfsValue } from '../../kernel-shim/abi/statfs.js';
import {
  decodeStatx,
  devMajor,
  devMinor,
  encodeStatx,
  makeDev,
  STATX_OFFSETS,
  STATX_SIZE,
  STATX_TIMESTAMP_OFFSETS,
  STATX_TIMESTAMP_SIZE,
  statxFromFileStat,
} from '../../kernel-shim/abi/statx.js';
import { decodeSysinfo, encodeSysinfo, SYSINFO_OFFSETS, SYSINFO_SIZE, type SysinfoValue } from '../../kernel-shim/abi/sysinfo.js';
import {
  CLONE_ARGS_OFFSETS,
  CLONE_ARGS_SIZE,
  CLONE_ARGS_SIZE_VER0,
  decodeCloneArgs,
  decodeRobustListHead,
  encodeCloneArgs,
  encodeRobustListHead,
  ROBUST_LIST_HEAD_OFFSETS,
  ROBUST_LIST_HEAD_SIZE,
  type CloneArgs,
} from '../../kernel-shim/abi/thread.js';
import {
  decodeItimerval,
  decodeTimespec,
  decodeTimespecPair,
  decodeTimeval,
  decodeUtimbuf,
  encodeItimerval,
  encodeTimespec,
  encodeTimespecPair,
  encodeTimeval,
  encodeUtimbuf,
  ITIMERVAL_OFFSETS,
  ITIMERVAL_SIZE,
  nsToTimespec,
  nsToTimeval,
  TIMESPEC_OFFSETS,
  TIMESPEC_PAIR_SIZE,
  TIMESPEC_SIZE,
  timespecToNs,
  TIMEVAL_OFFSETS,
  TIMEVAL_SIZE,
  UTIMBUF_OFFSETS,
  UTIMBUF_SIZE,
  UTIME_OMIT,
} from '../../kernel-shim/abi/time.js';
import { decodeTms, encodeTms, TMS_OFFSETS, TMS_SIZE } from '../../kernel-shim/abi/tms.js';
import {
  decodeTermios,
  decodeWinsize,
  encodeTermios,
  encodeWinsize,
  NCCS,
  TERMIOS_OFFSETS,
  TERMIOS_SIZE,
  WINSIZE_OFFSETS,
  WINSIZE_SIZE,
} from '../../kernel-shim/abi/tty.js';
import { decodeUtsname, encodeUtsname, UTSNAME_OFFSETS, UTSNAME_SIZE } from '../../kernel-shim/abi/utsname.js';

function encoded(size: number, encode: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  encode(new DataView(bytes.buffer));
  return bytes;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** How a C value compares: integers through (unsigned long long), strings with %s. */
type Expected = bigint | number | string;

interface StructCheck {
  readonly name: string;
  readonly cType: string;
  /** Omitted for structs ending in a flexible array. */
  readonly size?: number;
  readonly offsets: Readonly<Record<string, number>>;
  /** Our offset key -> the C member designator it must match. */
  readonly members: Readonly<Record<string, string>>;
  readonly sample: Uint8Array;
  /** C expression on `p` (a pointer to the sample) -> the value it must have. */
  readonly values: Readonly<Record<string, Expected>>;
}

const INCLUDES = [
  'stdio.h',
  'stddef.h',
  'asm/stat.h',
  'linux/stat.h',
  'linux/time_types.h',
  'linux/utime.h',
  'linux/times.h',
  'asm/statfs.h',
  'linux/utsname.h',
  'linux/resource.h',
  'linux/sysinfo.h',
  'linux/uio.h',
  'linux/poll.h',
  'asm/termios.h',
  'asm/signal.h',
  'asm/siginfo.h',
  'linux/futex.h',
  'linux/sched.h',
];

// The kernel defines the directory records in fs/readdir.c, not in a UAPI header.
const PRELUDE = `
struct linux_dirent64 { __u64 d_ino; __s64 d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };
struct linux_dirent { unsigned long d_ino; unsigned long d_off; unsigned short d_reclen; char d_name[]; };
`;

const u64 = (v: bigint | number) => BigInt.asUintN(64, BigInt(v));

const fileStat: FileStat = {
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

const statfsValue: StatfsValue = {
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

const sysinfoValue: SysinfoValue = {
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

const cloneArgs: CloneArgs = {
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

const killInfo: Siginfo = { signo: 10, errno: 0, code: 0, layout: 'kill', pid: 1234, uid: 1000 };
const chldInfo: Siginfo = {
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
const faultInfo: Siginfo = { signo: 7, errno: 0, code: 4, layout: 'fault', addr: 0xdead_beef_f00dn, addrLsb: 12 };
const sysInfo: Siginfo = { signo: 31, errno: 0, code: 1, layout: 'sys', callAddr: 0x401000n, syscall: 39, arch: 0xc000003e };
const timerInfo: Siginfo = { signo: 34, errno: 0, code: -2, layout: 'timer', timerId: 3, overrun: 9, value: 0x1234n };
const pollInfo: Siginfo = { signo: 29, errno: 0, code: -5, layout: 'poll', band: -1n, fd: 4 };

const termiosCc = Uint8Array.from({ length: NCCS }, (_, i) => 0x80 + i);

const CHECKS: readonly StructCheck[] = [
  {
    name: 'stat',
    cType: 'struct stat',
    size: STAT_SIZE,
    offsets: STAT_OFFSETS,
    members: {
      dev: 'st_dev',
      ino: 'st_ino',
      nlink: 'st_nlink',
      mode: 'st_mode',
      uid: 'st_uid',
      gid: 'st_gid',
      rdev: 'st_rdev',
      size: 'st_size',
      blksize: 'st_blksize',
      blocks: 'st_blocks',
      atimeSec: 'st_atime',
      atimeNsec: 'st_atime_nsec',
      mtimeSec: 'st_mtime',
      mtimeNsec: 'st_mtime_nsec',
      ctimeSec: 'st_ctime',
      ctimeNsec: 'st_ctime_nsec',
      reserved: '__unused',
    },
    sample: encoded(STAT_SIZE, (v) => encodeStat(v, 0, fileStat)),
    values: {
      'p->st_dev': fileStat.dev,
      'p->st_ino': fileStat.ino,
      'p->st_nlink': fileStat.nlink,
      'p->st_mode': fileStat.mode,
      'p->st_uid': fileStat.uid,
      'p->st_gid': fileStat.gid,
      'p->st_rdev': fileStat.rdev,
      'p->st_size': fileStat.size,
      'p->st_blksize': fileStat.blksize,
      'p->st_blocks': fileStat.blocks,
      'p->st_atime': 1_700_000_000n,
      'p->st_atime_nsec': 123_456_789n,
      'p->st_mtime': u64(-1n),
      'p->st_mtime_nsec': 999_999_999n,
      'p->st_ctime': 0n,
      'p->st_ctime_nsec': 0n,
      'p->__unused[2]': 0n,
    },
  },
  {
    name: 'statx',
    cType: 'struct statx',
    size: STATX_SIZE,
    offsets: STATX_OFFSETS,
    members: {
      mask: 'stx_mask',
      blksize: 'stx_blksize',
      attributes: 'stx_attributes',
      nlink: 'stx_nlink',
      uid: 'stx_uid',
      gid: 'stx_gid',
      mode: 'stx_mode',
      ino: 'stx_ino',
      size: 'stx_size',
      blocks: 'stx_blocks',
      attributesMask: 'stx_attributes_mask',
      atime: 'stx_atime',
      btime: 'stx_btime',
      ctime: 'stx_ctime',
      mtime: 'stx_mtime',
      rdevMajor: 'stx_rdev_major',
      rdevMinor: 'stx_rdev_minor',
      devMajor: 'stx_dev_major',
      devMinor: 'stx_dev_minor',
    },
    sample: encoded(STATX_SIZE, (v) =>
      encodeStatx(v, 0, { ...statxFromFileStat(fileStat), attributes: 0x100000n, attributesMask: 0x8000000000000000n }),
    ),
    values: {
      'p->stx_mask': 0xfff,
      'p->stx_blksize': 4096,
      'p->stx_attributes': 0x100000n,
      'p->stx_nlink': fileStat.nlink,
      'p->stx_uid': fileStat.uid,
      'p->stx_gid': 1000,
      'p->stx_mode': 0o100644,
      'p->stx_ino': fileStat.ino,
      'p->stx_size': fileStat.size,
      'p->stx_blocks': fileStat.blocks,
      'p->stx_attributes_mask': 0x8000000000000000n,
      'p->stx_atime.tv_sec': 1_700_000_000n,
      'p->stx_atime.tv_nsec': 123_456_789,
      'p->stx_btime.tv_sec': 1_600_000_000n,
      'p->stx_btime.tv_nsec': 1,
      'p->stx_mtime.tv_sec': u64(-1n),
      'p->stx_mtime.tv_nsec': 999_999_999,
      'p->stx_ctime.tv_sec': 0n,
      'p->stx_rdev_major': 0x123,
      'p->stx_rdev_minor': 0x45678,
      'p->stx_dev_major': devMajor(fileStat.dev),
      'p->stx_dev_minor': devMinor(fileStat.dev),
      'p->stx_mnt_id': 0n,
      'p->__spare3[11]': 0n,
    },
  },
  {
    name: 'statx_timestamp',
    cType: 'struct statx_timestamp',
    size: STATX_TIMESTAMP_SIZE,
    offsets: STATX_TIMESTAMP_OFFSETS,
    members: { sec: 'tv_sec', nsec: 'tv_nsec', reserved: '__reserved' },
    sample: new Uint8Array(STATX_TIMESTAMP_SIZE),
    values: {},
  },
  {
    name: 'timespec',
    cType: 'struct __kernel_timespec',
    size: TIMESPEC_SIZE,
    offsets: TIMESPEC_OFFSETS,
    members: { sec: 'tv_sec', nsec: 'tv_nsec' },
    sample: encoded(TIMESPEC_SIZE, (v) => encodeTimespec(v, 0, { sec: -5n, nsec: 999_999_999n })),
    values: { 'p->tv_sec': u64(-5n), 'p->tv_nsec': 999_999_999n },
  },
  {
    name: 'timeval',
    cType: 'struct __kernel_old_timeval',
    size: TIMEVAL_SIZE,
    offsets: TIMEVAL_OFFSETS,
    members: { sec: 'tv_sec', usec: 'tv_usec' },
    sample: encoded(TIMEVAL_SIZE, (v) => encodeTimeval(v, 0, { sec: 0x1_0000_0000n, usec: 999_999n })),
    values: { 'p->tv_sec': 0x1_0000_0000n, 'p->tv_usec': 999_999n },
  },
  {
    name: 'itimerval',
    cType: 'struct __kernel_old_itimerval',
    size: ITIMERVAL_SIZE,
    offsets: ITIMERVAL_OFFSETS,
    members: { interval: 'it_interval', value: 'it_value' },
    sample: encoded(ITIMERVAL_SIZE, (v) =>
      encodeItimerval(v, 0, { interval: { sec: 1n, usec: 2n }, value: { sec: 3n, usec: 4n } }),
    ),
    values: { 'p->it_interval.tv_sec': 1n, 'p->it_interval.tv_usec': 2n, 'p->it_value.tv_sec': 3n, 'p->it_value.tv_usec': 4n },
  },
  {
    name: 'utimbuf',
    cType: 'struct utimbuf',
    size: UTIMBUF_SIZE,
    offsets: UTIMBUF_OFFSETS,
    members: { actime: 'actime', modtime: 'modtime' },
    sample: encoded(UTIMBUF_SIZE, (v) => encodeUtimbuf(v, 0, { actime: -1n, modtime: 0x7fff_ffff_ffffn })),
    values: { 'p->actime': u64(-1n), 'p->modtime': 0x7fff_ffff_ffffn },
  },
  {
    name: 'tms',
    cType: 'struct tms',
    size: TMS_SIZE,
    offsets: TMS_OFFSETS,
    members: { utime: 'tms_utime', stime: 'tms_stime', cutime: 'tms_cutime', cstime: 'tms_cstime' },
    sample: encoded(TMS_SIZE, (v) => encodeTms(v, 0, { utime: 1n, stime: 2n, cutime: 0x1_0000_0003n, cstime: -4n })),
    values: { 'p->tms_utime': 1n, 'p->tms_stime': 2n, 'p->tms_cutime': 0x1_0000_0003n, 'p->tms_cstime': u64(-4n) },
  },
  {
    name: 'linux_dirent64',
    cType: 'struct linux_dirent64',
    offsets: DIRENT64_OFFSETS,
    members: { ino: 'd_ino', off: 'd_off', reclen: 'd_reclen', type: 'd_type', name: 'd_name' },
    sample: encoded(64, (v) => encodeDirents64(v, 0, 64, [{ ino: 0x8000000000000001n, type: DT.DIR, name: 'héllo' }], 41)),
    values: { 'p->d_ino': 0x8000000000000001n, 'p->d_off': 42n, 'p->d_reclen': 32, 'p->d_type': DT.DIR, 'p->d_name': 'héllo' },
  },
  {
    name: 'linux_dirent',
    cType: 'struct linux_dirent',
    offsets: DIRENT_OFFSETS,
    members: { ino: 'd_ino', off: 'd_off', reclen: 'd_reclen', name: 'd_name' },
    sample: encoded(64, (v) => encodeDirents(v, 0, 64, [{ ino: 7n, type: DT.LNK, name: 'abcdefghijkl' }])),
    values: {
      'p->d_ino': 7n,
      'p->d_off': 1n,
      'p->d_reclen': 32,
      'p->d_name': 'abcdefghijkl',
      '((const unsigned char *)p)[p->d_reclen - 1]': DT.LNK,
    },
  },
  {
    name: 'statfs',
    cType: 'struct statfs',
    size: STATFS_SIZE,
    offsets: STATFS_OFFSETS,
    members: {
      type: 'f_type',
      bsize: 'f_bsize',
      blocks: 'f_blocks',
      bfree: 'f_bfree',
      bavail: 'f_bavail',
      files: 'f_files',
      ffree: 'f_ffree',
      fsid: 'f_fsid',
      namelen: 'f_namelen',
      frsize: 'f_frsize',
      flags: 'f_flags',
      spare: 'f_spare',
    },
    sample: encoded(STATFS_SIZE, (v) => encodeStatfs(v, 0, statfsValue)),
    values: {
      'p->f_type': 0xef53,
      'p->f_bsize': 4096n,
      'p->f_blocks': statfsValue.blocks,
      'p->f_bfree': statfsValue.bfree,
      'p->f_bavail': statfsValue.bavail,
      'p->f_files': statfsValue.files,
      'p->f_ffree': statfsValue.ffree,
      'p->f_fsid.val[0]': u64(-2),
      'p->f_fsid.val[1]': 0x12345678,
      'p->f_namelen': 255,
      'p->f_frsize': 1024n,
      'p->f_flags': 0x1020,
      'p->f_spare[3]': 0,
    },
  },
  {
    name: 'new_utsname',
    cType: 'struct new_utsname',
    size: UTSNAME_SIZE,
    offsets: UTSNAME_OFFSETS,
    members: {
      sysname: 'sysname',
      nodename: 'nodename',
      release: 'release',
      version: 'version',
      machine: 'machine',
      domainname: 'domainname',
    },
    sample: encoded(UTSNAME_SIZE, (v) =>
      encodeUtsname(v, 0, {
        sysname: 'Linux',
        nodename: 'n'.repeat(70),
        release: '6.12.0-ushim',
        version: '#1 SMP',
        machine: 'x86_64',
        domainname: '(none)',
      }),
    ),
    values: {
      'p->sysname': 'Linux',
      'p->nodename': 'n'.repeat(64),
      'p->release': '6.12.0-ushim',
      'p->version': '#1 SMP',
      'p->machine': 'x86_64',
      'p->domainname': '(none)',
    },
  },
  {
    name: 'rlimit64',
    cType: 'struct rlimit64',
    size: RLIMIT_SIZE,
    offsets: RLIMIT_OFFSETS,
    members: { cur: 'rlim_cur', max: 'rlim_max' },
    sample: encoded(RLIMIT_SIZE, (v) => encodeRlimit(v, 0, { cur: 8n << 20n, max: RLIM_INFINITY })),
    values: { 'p->rlim_cur': 8n << 20n, 'p->rlim_max': RLIM_INFINITY },
  },
  {
    name: 'rusage',
    cType: 'struct rusage',
    size: RUSAGE_SIZE,
    offsets: RUSAGE_OFFSETS,
    members: Object.fromEntries(Object.keys(RUSAGE_OFFSETS).map((k) => [k, `ru_${k}`])),
    sample: encoded(RUSAGE_SIZE, (v) =>
      encodeRusage(v, 0, {
        utime: { sec: 1n, usec: 2n },
        stime: { sec: 3n, usec: 4n },
        maxrss: 0x1_0000_0005n,
        minflt: 6n,
        nivcsw: -7n,
      }),
    ),
    values: {
      'p->ru_utime.tv_sec': 1n,
      'p->ru_utime.tv_usec': 2n,
      'p->ru_stime.tv_sec': 3n,
      'p->ru_stime.tv_usec': 4n,
      'p->ru_maxrss': 0x1_0000_0005n,
      'p->ru_ixrss': 0n,
      'p->ru_minflt': 6n,
      'p->ru_nivcsw': u64(-7n),
    },
  },
  {
    name: 'sysinfo',
    cType: 'struct sysinfo',
    size: SYSINFO_SIZE,
    offsets: SYSINFO_OFFSETS,
    members: {
      uptime: 'uptime',
      loads: 'loads',
      totalram: 'totalram',
      freeram: 'freeram',
      sharedram: 'sharedram',
      bufferram: 'bufferram',
      totalswap: 'totalswap',
      freeswap: 'freeswap',
      procs: 'procs',
      pad: 'pad',
      totalhigh: 'totalhigh',
      freehigh: 'freehigh',
      memUnit: 'mem_unit',
    },
    sample: encoded(SYSINFO_SIZE, (v) => encodeSysinfo(v, 0, sysinfoValue)),
    values: {
      'p->uptime': 123456n,
      'p->loads[0]': 65536n,
      'p->loads[1]': 32768n,
      'p->loads[2]': 1n,
      'p->totalram': sysinfoValue.totalram,
      'p->freeram': sysinfoValue.freeram,
      'p->sharedram': 3n,
      'p->bufferram': 4n,
      'p->totalswap': 5n,
      'p->freeswap': 6n,
      'p->procs': 0xfedc,
      'p->pad': 0,
      'p->totalhigh': 7n,
      'p->freehigh': 8n,
      'p->mem_unit': 1,
    },
  },
  {
    name: 'iovec',
    cType: 'struct iovec',
    size: IOVEC_SIZE,
    offsets: IOVEC_OFFSETS,
    members: { base: 'iov_base', len: 'iov_len' },
    sample: encoded(IOVEC_SIZE, (v) => encodeIovec(v, 0, { base: 0x7ffd_0000_1000n, len: 0xffff_ffff_ffff_ffffn })),
    values: { 'p->iov_base': 0x7ffd_0000_1000n, 'p->iov_len': 0xffff_ffff_ffff_ffffn },
  },
  {
    name: 'pollfd',
    cType: 'struct pollfd',
    size: POLLFD_SIZE,
    offsets: POLLFD_OFFSETS,
    members: { fd: 'fd', events: 'events', revents: 'revents' },
    sample: encoded(POLLFD_SIZE, (v) => encodePollfd(v, 0, { fd: -1, events: 0x2001, revents: 0x8000 })),
    values: { 'p->fd': u64(-1), 'p->events': 0x2001, 'p->revents': u64(-0x8000) },
  },
  {
    name: 'winsize',
    cType: 'struct winsize',
    size: WINSIZE_SIZE,
    offsets: WINSIZE_OFFSETS,
    members: { row: 'ws_row', col: 'ws_col', xpixel: 'ws_xpixel', ypixel: 'ws_ypixel' },
    sample: encoded(WINSIZE_SIZE, (v) => encodeWinsize(v, 0, { row: 24, col: 80, xpixel: 0xffff, ypixel: 1 })),
    values: { 'p->ws_row': 24, 'p->ws_col': 80, 'p->ws_xpixel': 0xffff, 'p->ws_ypixel': 1 },
  },
  {
    name: 'termios',
    cType: 'struct termios',
    size: TERMIOS_SIZE,
    offsets: TERMIOS_OFFSETS,
    members: { iflag: 'c_iflag', oflag: 'c_oflag', cflag: 'c_cflag', lflag: 'c_lflag', line: 'c_line', cc: 'c_cc' },
    sample: encoded(TERMIOS_SIZE, (v) =>
      encodeTermios(v, 0, { iflag: 0x500, oflag: 0x5, cflag: 0xbf, lflag: 0x8a3b, line: 0, cc: termiosCc }),
    ),
    values: {
      'p->c_iflag': 0x500,
      'p->c_oflag': 0x5,
      'p->c_cflag': 0xbf,
      'p->c_lflag': 0x8a3b,
      'p->c_line': 0,
      'p->c_cc[0]': 0x80,
      [`p->c_cc[${NCCS - 1}]`]: 0x80 + NCCS - 1,
    },
  },
  {
    name: 'sigaction',
    cType: 'struct sigaction',
    size: SIGACTION_SIZE,
    offsets: SIGACTION_OFFSETS,
    members: { handler: 'sa_handler', flags: 'sa_flags', restorer: 'sa_restorer', mask: 'sa_mask' },
    sample: encoded(SIGACTION_SIZE, (v) =>
      encodeSigaction(v, 0, { handler: 0x401000n, flags: 0x14000004n, restorer: 0x402000n, mask: 0x8000000000000001n }),
    ),
    values: { 'p->sa_handler': 0x401000n, 'p->sa_flags': 0x14000004n, 'p->sa_restorer': 0x402000n, 'p->sa_mask': 0x8000000000000001n },
  },
  {
    name: 'stack_t',
    cType: 'stack_t',
    size: STACK_T_SIZE,
    offsets: STACK_T_OFFSETS,
    members: { sp: 'ss_sp', flags: 'ss_flags', size: 'ss_size' },
    sample: encoded(STACK_T_SIZE, (v) => encodeStackT(v, 0, { sp: 0x7f00_0000_0000n, flags: SS_AUTODISARM, size: 8192n })),
    values: { 'p->ss_sp': 0x7f00_0000_0000n, 'p->ss_flags': u64(-0x80000000), 'p->ss_size': 8192n },
  },
  ...(
    [
      ['kill', killInfo, { 'p->si_pid': 1234, 'p->si_uid': 1000 }],
      [
        'chld',
        chldInfo,
        { 'p->si_pid': 77, 'p->si_uid': 0xfffffffe, 'p->si_status': u64(-3), 'p->si_utime': 5n, 'p->si_stime': 6n },
      ],
      ['fault', faultInfo, { 'p->si_addr': 0xdead_beef_f00dn, 'p->si_addr_lsb': 12 }],
      ['sys', sysInfo, { 'p->si_call_addr': 0x401000n, 'p->si_syscall': 39, 'p->si_arch': 0xc000003e }],
      ['timer', timerInfo, { 'p->si_tid': 3, 'p->si_overrun': 9, 'p->si_value.sival_ptr': 0x1234n }],
      ['poll', pollInfo, { 'p->si_band': u64(-1n), 'p->si_fd': 4 }],
    ] as const
  ).map(
    ([layout, info, fields]): StructCheck => ({
      name: `siginfo (${layout})`,
      cType: 'siginfo_t',
      size: SIGINFO_SIZE,
      offsets: SIGINFO_OFFSETS,
      members: {
        signo: 'si_signo',
        errno: 'si_errno',
        code: 'si_code',
        pid: 'si_pid',
        uid: 'si_uid',
        value: 'si_value',
        timerId: 'si_tid',
        overrun: 'si_overrun',
        status: 'si_status',
        utime: 'si_utime',
        stime: 'si_stime',
        addr: 'si_addr',
        addrLsb: 'si_addr_lsb',
        band: 'si_band',
        fd: 'si_fd',
        callAddr: 'si_call_addr',
        syscall: 'si_syscall',
        arch: 'si_arch',
      },
      sample: encoded(SIGINFO_SIZE, (v) => encodeSiginfo(v, 0, info)),
      values: { 'p->si_signo': info.signo, 'p->si_errno': 0, 'p->si_code': u64(info.code), ...fields },
    }),
  ),
  {
    name: 'robust_list_head',
    cType: 'struct robust_list_head',
    size: ROBUST_LIST_HEAD_SIZE,
    offsets: ROBUST_LIST_HEAD_OFFSETS,
    members: { list: 'list', futexOffset: 'futex_offset', listOpPending: 'list_op_pending' },
    sample: encoded(ROBUST_LIST_HEAD_SIZE, (v) =>
      encodeRobustListHead(v, 0, { list: 0x7f00_0000_1000n, futexOffset: -32n, listOpPending: 0n }),
    ),
    values: { 'p->list.next': 0x7f00_0000_1000n, 'p->futex_offset': u64(-32n), 'p->list_op_pending': 0n },
  },
  {
    name: 'clone_args',
    cType: 'struct clone_args',
    size: CLONE_ARGS_SIZE,
    offsets: CLONE_ARGS_OFFSETS,
    members: {
      flags: 'flags',
      pidfd: 'pidfd',
      childTid: 'child_tid',
      parentTid: 'parent_tid',
      exitSignal: 'exit_signal',
      stack: 'stack',
      stackSize: 'stack_size',
      tls: 'tls',
      setTid: 'set_tid',
      setTidSize: 'set_tid_size',
      cgroup: 'cgroup',
    },
    sample: encoded(CLONE_ARGS_SIZE, (v) => encodeCloneArgs(v, 0, cloneArgs)),
    values: {
      'p->flags': cloneArgs.flags,
      'p->pidfd': 0x1001n,
      'p->child_tid': 0x1002n,
      'p->parent_tid': 0x1003n,
      'p->exit_signal': 17n,
      'p->stack': cloneArgs.stack,
      'p->stack_size': 0x9000n,
      'p->tls': 0x1004n,
      'p->set_tid': 0x1005n,
      'p->set_tid_size': 1n,
      'p->cgroup': cloneArgs.cgroup,
    },
  },
];

function cString(s: string): string {
  return JSON.stringify(s);
}

/** One C program checking every struct; it prints "<check>\t<what>\t<key>\t<value>" lines. */
function cProgram(checks: readonly StructCheck[]): string {
  const lines = [...INCLUDES.map((h) => `#include <${h}>`), PRELUDE];
  checks.forEach((c, i) => {
    lines.push(`static const unsigned char sample${i}[] __attribute__((aligned(16))) = {${[...c.sample].join(',')}};`);
  });
  lines.push('int main(void) {');
  checks.forEach((c, i) => {
    const tag = cString(String(i));
    lines.push('  {');
    lines.push(`    const ${c.cType} *p = (const void *)sample${i};`, '    (void)p;');
    lines.push(`    printf("%s\\tsize\\t-\\t%zu\\n", ${tag}, sizeof(${c.cType}));`);
    for (const [key, member] of Object.entries(c.members)) {
      lines.push(`    printf("%s\\toff\\t%s\\t%zu\\n", ${tag}, ${cString(key)}, offsetof(${c.cType}, ${member}));`);
    }
    for (const [expr, expected] of Object.entries(c.values)) {
      const value = typeof expected === 'string' ? `${expr}` : `(unsigned long long)(${expr})`;
      const format = typeof expected === 'string' ? '%s' : '%llu';
      lines.push(`    printf("%s\\tval\\t%s\\t${format}\\n", ${tag}, ${cString(expr)}, ${value});`);
    }
    lines.push('  }');
  });
  lines.push('  return 0;', '}', '');
  return lines.join('\n');
}

describe('abi structs against gcc', function () {
  const results = new Map<string, Map<string, string>>();

  before(function () {
    const dir = mkdtempSync(join(tmpdir(), 'ushim-abi-'));
    try {
      const src = join(dir, 'check.c');
      const exe = join(dir, 'check');
      writeFileSync(src, cProgram(CHECKS));
      execFileSync('gcc', ['-std=gnu11', '-Wall', '-Werror', '-Wno-address-of-packed-member', '-o', exe, src]);
      const out = execFileSync(exe, { encoding: 'utf8' });
      for (const line of out.trimEnd().split('\n')) {
        const [index, what, key, value] = line.split('\t');
        const name = CHECKS[Number(index)].name;
        if (!results.has(name)) results.set(name, new Map());
        results.get(name)!.set(`${what} ${key}`, value);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const c of CHECKS) {
    it(c.name, function () {
      const r = results.get(c.name)!;
      assert.deepEqual(Object.keys(c.members).sort(), Object.keys(c.offsets).sort(), 'every offset has a C member');
      if (c.size !== undefined) assert.equal(c.size, Number(r.get('size -')), 'sizeof');
      for (const [key, off] of Object.entries(c.offsets)) {
        assert.equal(off, Number(r.get(`off ${key}`)), `offsetof ${key}`);
      }
      for (const [expr, expected] of Object.entries(c.values)) {
        const actual = r.get(`val ${expr}`);
        const want = typeof expected === 'string' ? expected : String(u64(expected));
        assert.equal(actual, want, expr);
      }
    });
  }
});

describe('abi round trips', function () {
  it('stat keeps every field of FileStat except the birth time', function () {
    const { birthtimeNs: _unused, ...rest } = fileStat;
    assert.deepEqual(decodeStat(viewOf(encoded(STAT_SIZE, (v) => encodeStat(v, 0, fileStat))), 0), rest);
  });

  it('statx', function () {
    const value = statxFromFileStat(fileStat);
    assert.deepEqual(decodeStatx(viewOf(encoded(STATX_SIZE, (v) => encodeStatx(v, 0, value))), 0), value);
  });

  it('dev_t major/minor split', function () {
    assert.equal(devMajor(makeDev(8, 1)), 8);
    assert.equal(devMinor(makeDev(8, 1)), 1);
    assert.equal(makeDev(8, 1), 0x801n);
    assert.equal(makeDev(0x12345, 0x6789a), 0x1_2000_6783_459an); // glibc makedev()
    assert.equal(devMajor(makeDev(0xfffff, 0xfffff)), 0xfffff);
    assert.equal(devMinor(makeDev(0xfffff, 0xfffff)), 0xfffff);
  });

  it('time structs', function () {
    const ts = { sec: -1n, nsec: 5n };
    assert.deepEqual(decodeTimespec(viewOf(encoded(TIMESPEC_SIZE, (v) => encodeTimespec(v, 0, ts))), 0), ts);
    const pair = [
      { sec: 1n, nsec: BigInt(UTIME_OMIT) },
      { sec: 2n, nsec: 3n },
    ] as const;
    assert.deepEqual(decodeTimespecPair(viewOf(encoded(TIMESPEC_PAIR_SIZE, (v) => encodeTimespecPair(v, 0, pair))), 0), pair);
    const tv = { sec: 7n, usec: 8n };
    assert.deepEqual(decodeTimeval(viewOf(encoded(TIMEVAL_SIZE, (v) => encodeTimeval(v, 0, tv))), 0), tv);
    const it = { interval: tv, value: { sec: 0n, usec: 1n } };
    assert.deepEqual(decodeItimerval(viewOf(encoded(ITIMERVAL_SIZE, (v) => encodeItimerval(v, 0, it))), 0), it);
    const ub = { actime: 1n, modtime: -2n };
    assert.deepEqual(decodeUtimbuf(viewOf(encoded(UTIMBUF_SIZE, (v) => encodeUtimbuf(v, 0, ub))), 0), ub);
    const tms = { utime: 1n, stime: 2n, cutime: 3n, cstime: 4n };
    assert.deepEqual(decodeTms(viewOf(encoded(TMS_SIZE, (v) => encodeTms(v, 0, tms))), 0), tms);
  });

  it('nanosecond conversions normalise like the kernel', function () {
    assert.deepEqual(nsToTimespec(1_500_000_000n), { sec: 1n, nsec: 500_000_000n });
    assert.deepEqual(nsToTimespec(-1n), { sec: -1n, nsec: 999_999_999n });
    assert.equal(timespecToNs({ sec: -1n, nsec: 999_999_999n }), -1n);
    assert.deepEqual(nsToTimeval(1_234_567_891n), { sec: 1n, usec: 234_567n });
  });

  it('statfs, sysinfo, rlimit, rusage', function () {
    assert.deepEqual(decodeStatfs(viewOf(encoded(STATFS_SIZE, (v) => encodeStatfs(v, 0, statfsValue))), 0), statfsValue);
    assert.deepEqual(decodeSysinfo(viewOf(encoded(SYSINFO_SIZE, (v) => encodeSysinfo(v, 0, sysinfoValue))), 0), sysinfoValue);
    const rl = { cur: 1024n, max: RLIM_INFINITY };
    assert.deepEqual(decodeRlimit(viewOf(encoded(RLIMIT_SIZE, (v) => encodeRlimit(v, 0, rl))), 0), rl);
    const ru = decodeRusage(
      viewOf(encoded(RUSAGE_SIZE, (v) => encodeRusage(v, 0, { utime: { sec: 1n, usec: 2n }, stime: { sec: 0n, usec: 0n }, nvcsw: 9n }))),
      0,
    );
    assert.equal(ru.nvcsw, 9n);
    assert.equal(ru.maxrss, 0n);
    assert.deepEqual(ru.utime, { sec: 1n, usec: 2n });
  });

  it('utsname truncates to 64 bytes', function () {
    const u = { sysname: 'Linux', nodename: 'x'.repeat(65), release: 'r', version: 'v', machine: 'x86_64', domainname: '' };
    const back = decodeUtsname(viewOf(encoded(UTSNAME_SIZE, (v) => encodeUtsname(v, 0, u))), 0);
    assert.deepEqual(back, { ...u, nodename: 'x'.repeat(64) });
  });

  it('iovec array, pollfd, winsize, termios', function () {
    const bytes = new Uint8Array(3 * IOVEC_SIZE);
    const iovs = [
      { base: 1n, len: 2n },
      { base: 3n, len: 4n },
      { base: 0n, len: 0n },
    ];
    iovs.forEach((iov, i) => encodeIovec(viewOf(bytes), i * IOVEC_SIZE, iov));
    assert.deepEqual(decodeIovecs(viewOf(bytes), 0, 3), iovs);
    const pfd = { fd: 3, events: 0x8001, revents: 0x10 };
    assert.deepEqual(decodePollfd(viewOf(encoded(POLLFD_SIZE, (v) => encodePollfd(v, 0, pfd))), 0), pfd);
    const ws = { row: 1, col: 2, xpixel: 3, ypixel: 4 };
    assert.deepEqual(decodeWinsize(viewOf(encoded(WINSIZE_SIZE, (v) => encodeWinsize(v, 0, ws))), 0), ws);
    const tio = { iflag: 1, oflag: 2, cflag: 3, lflag: 4, line: 5, cc: termiosCc };
    assert.deepEqual(decodeTermios(viewOf(encoded(TERMIOS_SIZE, (v) => encodeTermios(v, 0, tio))), 0), tio);
  });

  it('sigaction, stack_t, robust_list_head', function () {
    const sa = { handler: 1n, flags: 0xffff_ffff_0400_0000n, restorer: 2n, mask: 3n };
    assert.deepEqual(decodeSigaction(viewOf(encoded(SIGACTION_SIZE, (v) => encodeSigaction(v, 0, sa))), 0), sa);
    const ss = { sp: 0x1000n, flags: SS_AUTODISARM, size: 4096n };
    assert.deepEqual(decodeStackT(viewOf(encoded(STACK_T_SIZE, (v) => encodeStackT(v, 0, ss))), 0), ss);
    const head = { list: 0x10n, futexOffset: -0x20n, listOpPending: 0x30n };
    assert.deepEqual(
      decodeRobustListHead(viewOf(encoded(ROBUST_LIST_HEAD_SIZE, (v) => encodeRobustListHead(v, 0, head))), 0),
      head,
    );
  });

  it('clone_args of an older, shorter version read later fields as zero', function () {
    const bytes = encoded(CLONE_ARGS_SIZE, (v) => encodeCloneArgs(v, 0, cloneArgs));
    assert.deepEqual(decodeCloneArgs(viewOf(bytes), 0), cloneArgs);
    assert.deepEqual(decodeCloneArgs(viewOf(bytes), 0, CLONE_ARGS_SIZE_VER0), {
      ...cloneArgs,
      setTid: 0n,
      setTidSize: 0n,
      cgroup: 0n,
    });
  });

  it('siginfo layouts follow the kernel', function () {
    for (const info of [killInfo, chldInfo, faultInfo, sysInfo, timerInfo, pollInfo]) {
      assert.equal(siginfoLayout(info.signo, info.code), info.layout);
      assert.deepEqual(decodeSiginfo(viewOf(encoded(SIGINFO_SIZE, (v) => encodeSiginfo(v, 0, info))), 0), info);
    }
    assert.equal(siginfoLayout(11, 1), 'fault'); // SIGSEGV SEGV_MAPERR
    assert.equal(siginfoLayout(11, 0x80), 'kill'); // #GP: SI_KERNEL
    assert.equal(siginfoLayout(6, -6), 'rt'); // tkill: SI_TKILL
    assert.equal(siginfoLayout(10, -1), 'rt'); // sigqueue
    assert.equal(siginfoLayout(10, 3), 'poll'); // a positive code on a signal without its own codes
    assert.equal(siginfoLayout(10, 7), 'kill');
    assert.equal(siginfoLayout(7, 6), 'poll'); // beyond NSIGBUS, still within NSIGPOLL
    assert.equal(siginfoLayout(7, 7), 'kill');
  });
});

describe('getdents records', function () {
  const entries = [
    { ino: 1n, type: DT.DIR, name: '.' },
    { ino: 2n, type: DT.DIR, name: '..' },
    { ino: 3n, type: DT.REG, name: 'a-longer-file-name.txt' },
  ];

  it('rounds reclen up to 8 and numbers d_off from the first index', function () {
    const bytes = new Uint8Array(256);
    const r = encodeDirents64(viewOf(bytes), 0, bytes.length, entries, 10);
    assert.deepEqual(r, { bytes: 24 + 24 + 48, count: 3 });
    const view = viewOf(bytes);
    const first = decodeDirent64(view, 0);
    assert.deepEqual(first, { ino: 1n, off: 11n, reclen: 24, type: DT.DIR, name: '.' });
    assert.equal(decodeDirent64(view, 24).off, 12n);
    assert.deepEqual(decodeDirent64(view, 48), { ino: 3n, off: 13n, reclen: 48, type: DT.REG, name: 'a-longer-file-name.txt' });
    assert.equal(dirent64RecLen(5), 32); // 19 + 5 + NUL = 25
    assert.equal(dirent64RecLen(4), 24); // exactly 24
  });

  it('stops at the first record that does not fit', function () {
    const bytes = new Uint8Array(60);
    assert.deepEqual(encodeDirents64(viewOf(bytes), 0, 60, entries), { bytes: 48, count: 2 });
    assert.deepEqual(encodeDirents64(viewOf(bytes), 0, 23, entries), { bytes: 0, count: 0 });
  });

  it('writes at an offset inside a larger view', function () {
    const bytes = new Uint8Array(64).fill(0xaa);
    const r = encodeDirents64(viewOf(bytes), 8, 32, entries.slice(0, 1));
    assert.deepEqual(r, { bytes: 24, count: 1 });
    assert.equal(bytes[7], 0xaa);
    assert.equal(decodeDirent64(viewOf(bytes), 8).name, '.');
    assert.equal(bytes[32], 0xaa);
  });

  it('keeps d_type in the last byte of old linux_dirent records', function () {
    const bytes = new Uint8Array(128);
    const r = encodeDirents(viewOf(bytes), 0, bytes.length, entries);
    assert.equal(direntRecLen(1), 24);
    assert.equal(r.count, 3);
    const view = viewOf(bytes);
    assert.deepEqual(decodeDirent(view, 0), { ino: 1n, off: 1n, reclen: 24, type: DT.DIR, name: '.' });
    assert.deepEqual(decodeDirent(view, 48), { ino: 3n, off: 3n, reclen: 48, type: DT.REG, name: 'a-longer-file-name.txt' });
  });
});
