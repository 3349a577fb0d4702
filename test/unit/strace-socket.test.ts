// strace formatting of the socket calls (issue 11 item 5). The expected lines are what strace
// 6.1 printed on Debian 12 for the same calls (a probe program under `strace -f`): families,
// types and protocols by name, socket addresses of each family, in/out lengths ([16],
// [128 => 16]), msghdrs with their control messages, MSG_* flags, option levels, names and
// values, and shutdown's how. Stored structures appear only after a successful call.
import { strict as assert } from 'node:assert';
import { formatSyscall, type GuestReader } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { bytes, EFAULT, ERR, FakeMemory } from './strace-memory.js';

/** One call: its name, raw arguments, result, and the line strace printed. */
type Case = [name: string, args: readonly bigint[], result: bigint | null, line: string];

/** Each call's line (without the result column's padding) is the one strace printed. */
function expectLines(mem: GuestReader, cases: readonly Case[]): void {
  for (const [name, args, result, line] of cases) {
    assert.equal(formatSyscall(name, argKinds(name, args), args, result, mem, { column: 0 }), line);
  }
}

const u32 = (v: number) => bytes(4, (dv) => dv.setUint32(0, v, true));

function sockaddrIn(port: number, addr: readonly number[]): Uint8Array {
  return bytes(16, (dv) => {
    dv.setUint16(0, 2, true);
    dv.setUint16(2, port, false);
    addr.forEach((b, i) => dv.setUint8(4 + i, b));
  });
}

function sockaddrIn6(port: number, last: number): Uint8Array {
  return bytes(28, (dv) => {
    dv.setUint16(0, 10, true);
    dv.setUint16(2, port, false);
    dv.setUint8(23, last);
  });
}

const sockaddrNl = (pid: number, groups: number) =>
  bytes(12, (dv) => {
    dv.setUint16(0, 16, true);
    dv.setUint32(4, pid, true);
    dv.setUint32(8, groups, true);
  });

function sockaddrUn(path: string, abstract: boolean): Uint8Array {
  const name = new TextEncoder().encode(path);
  const out = new Uint8Array(2 + (abstract ? 1 : 0) + name.length + (abstract ? 0 : 1));
  out[0] = 1;
  out.set(name, abstract ? 3 : 2);
  return out;
}

/** struct msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
function msghdr(f: { name?: bigint; namelen?: number; iov: bigint; iovlen: number; control?: bigint; controllen?: number; flags?: number }): Uint8Array {
  return bytes(56, (dv) => {
    dv.setBigUint64(0, f.name ?? 0n, true);
    dv.setUint32(8, f.namelen ?? 0, true);
    dv.setBigUint64(16, f.iov, true);
    dv.setBigUint64(24, BigInt(f.iovlen), true);
    dv.setBigUint64(32, f.control ?? 0n, true);
    dv.setBigUint64(40, BigInt(f.controllen ?? 0), true);
    dv.setUint32(48, f.flags ?? 0, true);
  });
}

const iovec = (base: bigint, len: number) => bytes(16, (dv) => {
  dv.setBigUint64(0, base, true);
  dv.setBigUint64(8, BigInt(len), true);
});

/** One SCM_RIGHTS control message carrying fd, padded to 24 bytes. */
const rights = (fd: number) => bytes(24, (dv) => {
  dv.setBigUint64(0, 20n, true);
  dv.setInt32(8, 1, true);
  dv.setInt32(12, 1, true);
  dv.setInt32(16, fd, true);
});

describe('strace formatting: socket calls (issue 11)', function () {
  it('socket and socketpair: family, type with its flags, protocol named for the family', function () {
    const m = new FakeMemory().map(0x1000n, bytes(8, (dv) => {
      dv.setInt32(0, 7, true);
      dv.setInt32(4, 8, true);
    }));
    expectLines(m, [
      ['socket', [2n, 0x80001n, 6n], 3n, 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3'],
      ['socket', [2n, 0x801n, 0n], 4n, 'socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 4'],
      ['socket', [10n, 2n, 0n], 6n, 'socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 6'],
      ['socket', [1n, 2n, 0n], 11n, 'socket(AF_UNIX, SOCK_DGRAM, 0) = 11'],
      ['socket', [16n, 3n, 0n], 13n, 'socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 13'],
      ['socket', [17n, 2n, 0n], 14n, 'socket(AF_PACKET, SOCK_DGRAM, htons(0 /* ETH_P_??? */)) = 14'],
      ['socket', [99n, 5n, 7n], ERR(97), 'socket(0x63 /* AF_??? */, SOCK_SEQPACKET, 7) = -1 EAFNOSUPPORT (Address family not supported by protocol)'],
      ['socketpair', [1n, 1n, 0n, 0x1000n], 0n, 'socketpair(AF_UNIX, SOCK_STREAM, 0, [7, 8]) = 0'],
    ]);
  });

  it('bind and connect: addresses of each family, a short one as sa_data, an unreadable one as its pointer', function () {
    const m = new FakeMemory()
      .map(0x1000n, sockaddrIn(8080, [127, 0, 0, 1]))
      .map(0x2000n, sockaddrUn('/tmp/nl/s', false))
      .map(0x3000n, sockaddrUn('abstract', true))
      .map(0x4000n, sockaddrNl(0, 0));
    const inet = '{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}';
    expectLines(m, [
      ['bind', [3n, 0x1000n, 16n], 0n, `bind(3, ${inet}, 16) = 0`],
      ['bind', [11n, 0x2000n, 12n], 0n, 'bind(11, {sa_family=AF_UNIX, sun_path="/tmp/nl/s"}, 12) = 0'],
      ['bind', [12n, 0x3000n, 11n], 0n, 'bind(12, {sa_family=AF_UNIX, sun_path=@"abstract"}, 11) = 0'],
      ['bind', [13n, 0x4000n, 12n], 0n, 'bind(13, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0'],
      ['connect', [4n, 0x1000n, 16n], ERR(115), `connect(4, ${inet}, 16) = -1 EINPROGRESS (Operation now in progress)`],
      ['connect', [4n, 0x1000n, 3n], ERR(106), 'connect(4, {sa_family=AF_INET, sa_data="\\37"}, 3) = -1 EISCONN (Transport endpoint is already connected)'],
      ['bind', [3n, 8n, 16n], EFAULT, 'bind(3, 0x8, 16) = -1 EFAULT (Bad address)'],
    ]);
  });

  it('getsockname, getpeername, accept4: the stored address and the length as it was and became', function () {
    const m = new FakeMemory()
      .map(0x1000n, sockaddrIn(8080, [127, 0, 0, 1])).map(0x1100n, u32(16)).atEntry(0x1100n, u32(128))
      .map(0x2000n, sockaddrNl(27353, 0)).map(0x2100n, u32(12)).atEntry(0x2100n, u32(12))
      .map(0x3000n, sockaddrIn(42034, [127, 0, 0, 1])).map(0x3100n, u32(16)).atEntry(0x3100n, u32(16));
    expectLines(m, [
      ['getsockname', [3n, 0x1000n, 0x1100n], 0n, 'getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0'],
      ['getsockname', [13n, 0x2000n, 0x2100n], 0n, 'getsockname(13, {sa_family=AF_NETLINK, nl_pid=27353, nl_groups=00000000}, [12]) = 0'],
      ['accept4', [3n, 0x3000n, 0x3100n, 0x80000n], 5n, 'accept4(3, {sa_family=AF_INET, sin_port=htons(42034), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 5'],
      ['getpeername', [3n, 0x3000n, 0x3100n], ERR(107), 'getpeername(3, 0x3000, [16]) = -1 ENOTCONN (Transport endpoint is not connected)'],
      ['accept', [3n, 0n, 0n], ERR(95), 'accept(3, NULL, NULL) = -1 EOPNOTSUPP (Operation not supported)'],
    ]);
  });

  it('sendto and recvfrom: MSG_* flags, the destination or source address (IPv6 with inet_pton)', function () {
    const m = new FakeMemory()
      .string(0x1000n, 'hello').map(0x2000n, sockaddrIn6(80, 1)).map(0x3000n, new Uint8Array(100).fill(0x61))
      .map(0x4000n, sockaddrIn(8080, [127, 0, 0, 1])).map(0x4100n, u32(28));
    expectLines(m, [
      ['sendto', [4n, 0x1000n, 5n, 0x4000n, 0n, 0n], 5n, 'sendto(4, "hello", 5, MSG_NOSIGNAL, NULL, 0) = 5'],
      ['recvfrom', [5n, 0x1000n, 64n, 0x40n, 0n, 0n], 5n, 'recvfrom(5, "hello", 64, MSG_DONTWAIT, NULL, NULL) = 5'],
      ['sendto', [6n, 0x1000n, 1n, 0n, 0x2000n, 28n], 1n, 'sendto(6, "h", 1, 0, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 1'],
      ['recvfrom', [6n, 0x7ffc3d3ed2a0n, 64n, 0x40n, 0x4000n, 0x4100n], ERR(11), 'recvfrom(6, 0x7ffc3d3ed2a0, 64, MSG_DONTWAIT, 0x4000, [28]) = -1 EAGAIN (Resource temporarily unavailable)'],
      ['sendto', [3n, 0x3000n, 100n, 0x8040n, 0x4000n, 16n], 100n, 'sendto(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 100, MSG_DONTWAIT|MSG_MORE, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 100'],
    ]);
  });

  it('sendmsg and recvmsg: msghdr with iovecs, SCM_RIGHTS, the name length as it was and became', function () {
    const m = new FakeMemory()
      .map(0x1000n, msghdr({ iov: 0x1100n, iovlen: 1, control: 0x1200n, controllen: 24 }))
      .map(0x1100n, iovec(0x1300n, 5)).string(0x1300n, 'hello').map(0x1200n, rights(1))
      .map(0x2000n, msghdr({ iov: 0x2100n, iovlen: 1, control: 0x2200n, controllen: 24, flags: 0x40000000 }))
      .map(0x2100n, iovec(0x1300n, 16)).map(0x2200n, rights(9))
      .map(0x3000n, msghdr({ name: 0x3300n, namelen: 16, iov: 0x3100n, iovlen: 1, control: 0x3200n, controllen: 0, flags: 0x20 }))
      .atEntry(0x3000n, msghdr({ name: 0x3300n, namelen: 128, iov: 0x3100n, iovlen: 1, control: 0x3200n, controllen: 64 }))
      .map(0x3100n, iovec(0x3400n, 2)).string(0x3400n, 'pi').map(0x3300n, sockaddrIn(36961, [127, 0, 0, 1]))
      .map(0x4000n, msghdr({ name: 0x4100n, namelen: 12, iov: 0x1100n, iovlen: 1 })).map(0x4100n, sockaddrNl(0, 0));
    expectLines(m, [
      ['sendmsg', [7n, 0x1000n, 0n], 5n, 'sendmsg(7, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[1]}], msg_controllen=24, msg_flags=0}, 0) = 5'],
      ['recvmsg', [8n, 0x2000n, 0x40000000n], 5n, 'recvmsg(8, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=16}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[9]}], msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 5'],
      ['recvmsg', [3n, 0x3000n, 0n], 2n, 'recvmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(36961), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=128 => 16, msg_iov=[{iov_base="pi", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, 0) = 2'],
      ['sendmsg', [13n, 0x4000n, 0n], 5n, 'sendmsg(13, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5'],
      ['recvmsg', [3n, 8n, 0n], EFAULT, 'recvmsg(3, 0x8, 0) = -1 EFAULT (Bad address)'],
    ]);
  });

  it('sendmmsg and recvmmsg: each message handled with its msg_len', function () {
    const hdr = (iov: bigint, len: number) => {
      const out = new Uint8Array(64);
      out.set(msghdr({ iov, iovlen: 1 }));
      new DataView(out.buffer).setUint32(56, len, true);
      return out;
    };
    const two = new Uint8Array(128);
    two.set(hdr(0x1100n, 4));
    two.set(hdr(0x1100n, 4), 64);
    const m = new FakeMemory().map(0x1000n, two).map(0x1100n, iovec(0x1200n, 8)).string(0x1200n, 'ping');
    const one = '{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ping", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=4}';
    expectLines(m, [
      ['recvmmsg', [3n, 0x1000n, 2n, 0x40n, 0n], 2n, `recvmmsg(3, [${one}, ${one}], 2, MSG_DONTWAIT, NULL) = 2`],
      ['recvmmsg', [3n, 0x1000n, 2n, 0x40n, 0n], ERR(11), 'recvmmsg(3, 0x1000, 2, MSG_DONTWAIT, NULL) = -1 EAGAIN (Resource temporarily unavailable)'],
      ['sendmmsg', [3n, 0x1000n, 0n, 0n], 0n, 'sendmmsg(3, [], 0, 0) = 0'],
    ]);
  });

  it('setsockopt and getsockopt: levels and names, ints as [1], struct linger, other values as bytes', function () {
    const timeval = bytes(16, (dv) => {
      dv.setBigUint64(0, 1n, true);
      dv.setBigUint64(8, 500n, true);
    });
    const m = new FakeMemory()
      .map(0x1000n, u32(1)).map(0x2000n, bytes(8, (dv) => {
        dv.setInt32(0, 1, true);
        dv.setInt32(4, 5, true);
      })).map(0x3000n, timeval)
      .map(0x4000n, u32(2)).map(0x4100n, u32(4)).atEntry(0x4100n, u32(8))
      .map(0x5000n, u32(2)).map(0x5100n, u32(2)).atEntry(0x5100n, u32(2));
    expectLines(m, [
      ['setsockopt', [3n, 1n, 2n, 0x1000n, 4n], 0n, 'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0'],
      ['setsockopt', [3n, 6n, 1n, 0x1000n, 4n], 0n, 'setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0'],
      ['setsockopt', [3n, 1n, 13n, 0x2000n, 8n], 0n, 'setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0'],
      ['setsockopt', [3n, 1n, 20n, 0x3000n, 16n], 0n, 'setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\\1\\0\\0\\0\\0\\0\\0\\0\\364\\1\\0\\0\\0\\0\\0\\0", 16) = 0'],
      ['setsockopt', [3n, 41n, 26n, 0x1000n, 4n], ERR(92), 'setsockopt(3, SOL_IPV6, IPV6_V6ONLY, [1], 4) = -1 ENOPROTOOPT (Protocol not available)'],
      ['setsockopt', [3n, 0n, 2n, 0x1000n, 4n], 0n, 'setsockopt(3, SOL_IP, IP_TTL, [1], 4) = 0'],
      ['setsockopt', [13n, 270n, 3n, 0x1000n, 4n], 0n, 'setsockopt(13, SOL_NETLINK, NETLINK_PKTINFO, [1], 4) = 0'],
      ['getsockopt', [3n, 1n, 3n, 0x4000n, 0x4100n], 0n, 'getsockopt(3, SOL_SOCKET, SO_TYPE, [2], [8 => 4]) = 0'],
      ['getsockopt', [3n, 1n, 3n, 0x5000n, 0x5100n], 0n, 'getsockopt(3, SOL_SOCKET, SO_TYPE, "\\2\\0", [2]) = 0'],
    ]);
  });

  it('shutdown: SHUT_* by name', function () {
    const m = new FakeMemory();
    expectLines(m, [
      ['shutdown', [4n, 1n], 0n, 'shutdown(4, SHUT_WR) = 0'],
      ['shutdown', [4n, 2n], 0n, 'shutdown(4, SHUT_RDWR) = 0'],
    ]);
  });
});
