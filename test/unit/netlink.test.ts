// --net=none's rtnetlink answers byte for byte against what Linux 6.18 sent in a fresh network
// namespace with lo up (`unshare -rn`, a dump of RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE
// with seq 7), and a loopback NETLINK_ROUTE socket driven directly: autobind, one datagram
// per receive, MSG_PEEK and MSG_TRUNC, acks and the EPERM of a change.
import { strict as assert } from 'node:assert';
import { RandomSource } from '../../kernel-shim/clock.js';
import { MSG_PEEK, SOCK_RAW } from '../../kernel-shim/net/constants.js';
import { LoopbackRouteSocket } from '../../kernel-shim/net/netlink/loopback-socket.js';
import { LoopbackView } from '../../kernel-shim/net/netlink/loopback-view.js';
import { NetlinkPorts } from '../../kernel-shim/net/netlink/ports.js';
import { splitMessages } from '../../kernel-shim/net/netlink/message.js';
import { classifyRequest } from '../../kernel-shim/net/netlink/route-requests.js';
import type { IncomingMessage } from '../../kernel-shim/net/socket.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const zeros = (n: number) => '00'.repeat(n);
/** IFA_CACHEINFO's stamps in the capture (hundredths of a second since boot). */
const CSTAMP = 0x3856ea;
const PORT = 9294;

/** A request: nlmsghdr (seq 7, pid 0) and a 4-byte rtgenmsg of `family`. */
function request(type: number, flags: number, family = 0): Uint8Array {
  const out = new Uint8Array(20);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 20, true);
  dv.setUint16(4, type, true);
  dv.setUint16(6, flags, true);
  dv.setUint32(8, 7, true);
  out[16] = family;
  return out;
}

/** nlmsghdr of a dump member (NLM_F_MULTI, seq 7, PORT) followed by the payload. */
function member(type: number, payload: string): string {
  const head = new DataView(new ArrayBuffer(16));
  head.setUint32(0, 16 + payload.length / 2, true);
  head.setUint16(4, type, true);
  head.setUint16(6, 2, true);
  head.setUint32(8, 7, true);
  head.setUint32(12, PORT, true);
  return hex(new Uint8Array(head.buffer)) + payload;
}

const DONE = member(3, '00000000');

const NATIVE_LINK =
  '00000403010000004900010000000000070003006c6f000008000d00e8030000050010000000000005001100000000000500430001000000' +
  '08000400000001000800320000000000080033000000000008001b000000000008001e000000000008003d000000000008001f0001000000' +
  '08002800ffff0000080029000000010008003a000000010008003f0000000100080040000000010008003b00f8ff070008003c00ffff0000' +
  '080042000000000008002000010000000500210001000000080023000000000008002f000000000008003000000000000600440000000000' +
  '060045000000000005002700000000000a00010000000000000000000a0002000000000000000000cc001700' +
  `${zeros(200)}64000700${zeros(96)}0c002b0005000200000000000c0006006e6f71756575650024000e00${zeros(32)}`;
const NATIVE_ADDRESSES = [
  '020880fe01000000080001007f000001080002007f000001070003006c6f0000080008008000000014000600ffffffffffffffffea563800ea563800',
  '0a8080fe01000000140001000000000000000000000000000000000114000600ffffffffffffffffea563800ea563800080008008000000005000b0001000000',
];
const NATIVE_ROUTES = [
  '02080000ff02fe020000000008000f00ff000000080001007f000000080007007f0000010800040001000000',
  '02200000ff02fe020000000008000f00ff000000080001007f000001080007007f0000010800040001000000',
  '02200000ff02fd030000000008000f00ff000000080001007fffffff080007007f0000010800040001000000',
  `0a800000ff0200020000000008000f00ff000000140001000000000000000000000000000000000108000600000000000800040001000000` +
    `24000c00${zeros(32)}0500140000000000`,
];

describe('netlink: the loopback view of --net=none', function () {
  const view = new LoopbackView(CSTAMP);
  const dump = (type: number, family = 0) => view.answer(
    { type, flags: 0x301, seq: 7, pid: 0, bytes: request(type, 0x301, family) }, PORT, false,
  ).map(hex);

  it('RTM_GETLINK dumps lo as Linux does (IFLA_AF_SPEC aside), then NLMSG_DONE alone', function () {
    assert.deepEqual(dump(18), [member(16, NATIVE_LINK), DONE]);
  });

  it('RTM_GETADDR dumps 127.0.0.1/8 and ::1/128 in one datagram, each family on its own', function () {
    assert.deepEqual(dump(22), [NATIVE_ADDRESSES.map((a) => member(20, a)).join(''), DONE]);
    assert.deepEqual(dump(22, 2), [member(20, NATIVE_ADDRESSES[0]), DONE]);
    assert.deepEqual(dump(22, 10), [member(20, NATIVE_ADDRESSES[1]), DONE]);
  });

  it('RTM_GETROUTE dumps the local table of lo; other reads dump nothing', function () {
    assert.deepEqual(dump(26), [NATIVE_ROUTES.map((r) => member(24, r)).join(''), DONE]);
    assert.deepEqual(dump(30), [DONE]);
  });
});

describe('netlink: what may reach the host', function () {
  it('only reads (RTM_GET*, kind 2 up to RTM_MAX) go on; every other request is settled here', function () {
    for (let type = 0; type <= 0xffff; type++) {
      const [message] = splitMessages(request(type, 0x305));
      const isRead = type >= 16 && type <= 123 && (type - 16) % 4 === 2;
      assert.equal(classifyRequest(message).kind, isRead ? 'get' : 'settled', `type ${type}`);
    }
  });

  it('a change is EPERM, an unknown type EOPNOTSUPP; what rtnetlink ignores is settled without an error', function () {
    const errorOf = (bytes: Uint8Array) => {
      const r = classifyRequest(splitMessages(bytes)[0]);
      return r.kind === 'settled' ? r.err : 'get';
    };
    assert.equal(errorOf(request(20, 0x5)), -1);
    assert.equal(errorOf(request(200, 0x5)), -95);
    assert.equal(errorOf(request(20, 0x4)), 0);
    assert.equal(errorOf(request(1, 0x5)), 0);
    assert.equal(errorOf(request(20, 0x5).subarray(0, 16).map((b, i) => (i === 0 ? 16 : b))), 0);
  });
});

describe('netlink: a loopback NETLINK_ROUTE socket', function () {
  function open(): LoopbackRouteSocket {
    const ports = new NetlinkPorts(new RandomSource(true));
    return new LoopbackRouteSocket(ports, new LoopbackView(CSTAMP), SOCK_RAW, 1n, 0, { pid: PORT, uid: 0, gid: 0 });
  }
  const send = (s: LoopbackRouteSocket, data: Uint8Array) =>
    s.sendmsg(null, { data, addr: null, rights: [], creds: { pid: PORT, uid: 0, gid: 0 }, explicitCreds: false, control: [], flags: 0 });
  const received = (r: IncomingMessage | number): IncomingMessage => {
    if (typeof r === 'number') assert.fail(`receive failed: ${r}`);
    return r;
  };

  it('binds on the first send to the sender\'s pid and answers from the kernel, one datagram a receive', function () {
    const s = open();
    assert.equal(hex(s.getsockname()), '100000000000000000000000');
    assert.equal(send(s, request(22, 0x301)), 20);
    assert.equal(s.portId, PORT);
    const peek = received(s.recvmsg(0, MSG_PEEK));
    assert.equal(peek.data.length, 0);
    assert.equal(peek.length, 76 + 80);
    assert.equal(hex(peek.addr!), '100000000000000000000000');
    const cut = received(s.recvmsg(16, 0));
    assert.equal(cut.data.length, 16);
    assert.equal(cut.length, peek.length);
    assert.equal(hex(received(s.recvmsg(4096, 0)).data), DONE);
    assert.equal(s.recvmsg(4096, 0), -11);
  });

  it('a dump asked for while one runs is EBUSY; a full receive buffer drops answers and says ENOBUFS once', function () {
    const s = open();
    send(s, request(18, 0x301));
    send(s, request(22, 0x301));
    const types = () => {
      const seen: number[] = [];
      for (let r = s.recvmsg(65536, 0); typeof r !== 'number'; r = s.recvmsg(65536, 0)) seen.push(new DataView(r.data.buffer).getUint16(4, true));
      return seen;
    };
    assert.deepEqual(types(), [16, 2, 3]);
    // 7000 acks overflow the 212992-byte buffer; the dump's links are dropped, its NLMSG_DONE still comes.
    for (let i = 0; i < 7000; i++) send(s, request(1, 0x5));
    send(s, request(18, 0x301));
    assert.equal(s.recvmsg(65536, 0), -105);
    const after = types();
    assert.ok(after.length > 5000 && after.length < 7000, `${after.length} answers`);
    assert.deepEqual(new Set(after.slice(0, -1)), new Set([2]));
    assert.equal(after[after.length - 1], 3);
  });

  it('settles a change with EPERM and acknowledges what asks for it', function () {
    const s = open();
    send(s, request(20, 0x5));
    const ack = received(s.recvmsg(4096, 0)).data;
    const dv = new DataView(ack.buffer, ack.byteOffset);
    assert.equal(dv.getUint16(4, true), 2);
    assert.equal(dv.getInt32(16, true), -1);
    assert.equal(ack.length, 16 + 4 + 20);
    send(s, request(1, 0x5));
    const noop = received(s.recvmsg(4096, 0)).data;
    assert.equal(noop.length, 36);
    assert.equal(new DataView(noop.buffer, noop.byteOffset).getUint16(6, true), 0x100);
  });
});
