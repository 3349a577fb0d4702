// The struct codecs decode what they encode, and the directory-record encoders fill a buffer
// as getdents(2) does.
import { strict as assert } from 'node:assert';
import {
  decodeDirent, decodeDirent64, direntRecLen, dirent64RecLen, DT, encodeDirents, encodeDirents64,
} from '../../kernel-shim/abi/dirent.js';
import { decodeIovecs, encodeIovec, IOVEC_SIZE } from '../../kernel-shim/abi/iovec.js';
import { decodePollfd, encodePollfd, POLLFD_SIZE } from '../../kernel-shim/abi/pollfd.js';
import { decodeRlimit, encodeRlimit, RLIM_INFINITY, RLIMIT_SIZE } from '../../kernel-shim/abi/rlimit.js';
import { decodeRusage, encodeRusage, RUSAGE_SIZE } from '../../kernel-shim/abi/rusage.js';
import { decodeSiginfo, encodeSiginfo, SIGINFO_SIZE, siginfoLayout } from '../../kernel-shim/abi/siginfo.js';
import {
  decodeSigaction, decodeStackT, encodeSigaction, encodeStackT, SIGACTION_SIZE, SS_AUTODISARM, STACK_T_SIZE,
} from '../../kernel-shim/abi/signal.js';
import { decodeStat, encodeStat, STAT_SIZE } from '../../kernel-shim/abi/stat.js';
import { decodeStatfs, encodeStatfs, STATFS_SIZE } from '../../kernel-shim/abi/statfs.js';
import {
  decodeStatx, devMajor, devMinor, encodeStatx, makeDev, STATX_SIZE, statxFromFileStat,
} from '../../kernel-shim/abi/statx.js';
import { decodeSysinfo, encodeSysinfo, SYSINFO_SIZE } from '../../kernel-shim/abi/sysinfo.js';
import {
  CLONE_ARGS_SIZE, CLONE_ARGS_SIZE_VER0, decodeCloneArgs, decodeRobustListHead, encodeCloneArgs, encodeRobustListHead,
  ROBUST_LIST_HEAD_SIZE,
} from '../../kernel-shim/abi/thread.js';
import {
  decodeItimerval, decodeTimespec, decodeTimespecPair, decodeTimeval, decodeUtimbuf, encodeItimerval, encodeTimespec,
  encodeTimespecPair, encodeTimeval, encodeUtimbuf, ITIMERVAL_SIZE, nsToTimespec, nsToTimeval, TIMESPEC_PAIR_SIZE,
  TIMESPEC_SIZE, timespecToNs, TIMEVAL_SIZE, UTIMBUF_SIZE, UTIME_OMIT,
} from '../../kernel-shim/abi/time.js';
import { decodeTms, encodeTms, TMS_SIZE } from '../../kernel-shim/abi/tms.js';
import {
  decodeTermios, decodeWinsize, encodeTermios, encodeWinsize, TERMIOS_SIZE, WINSIZE_SIZE,
} from '../../kernel-shim/abi/tty.js';
import { decodeUtsname, encodeUtsname, UTSNAME_SIZE } from '../../kernel-shim/abi/utsname.js';
import {
  chldInfo, cloneArgs, encoded, faultInfo, fileStat, killInfo, pollInfo, statfsValue, sysInfo, sysinfoValue, termiosCc,
  timerInfo, viewOf,
} from './abi-samples.js';

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
