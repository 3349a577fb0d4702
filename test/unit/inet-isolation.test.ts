// --net=none's ports (kernel-shim/net/inet/isolation.ts) on real host sockets: guest ports
// picked in order or as asked, EADDRINUSE and EINVAL from the guest's own namespace,
// destinations translated to the host's ports, names translated back, and what a closed
// socket sent still recognised as a guest's.
import assert from 'node:assert/strict';
import { hostClose, hostSockName, hostSocket } from '../../host/socket.js';
import { Errno } from '../../kernel-shim/errno.js';
import { AF_INET, AF_INET6, SOCK_DGRAM, SOCK_STREAM } from '../../kernel-shim/net/constants.js';
import { parseInetAddress, portOf, withPort } from '../../kernel-shim/net/inet/address.js';
import { InetNetwork } from '../../kernel-shim/net/inet/isolation.js';

function v4(a: number, b: number, c: number, d: number, port: number): Uint8Array {
  return new Uint8Array([AF_INET, 0, port >> 8, port & 0xff, a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0]);
}

function hostPort(fd: number): number {
  const name = hostSockName(fd);
  assert.ok(typeof name !== 'number');
  return portOf(name);
}

describe('inet --net=none ports', () => {
  const fds: number[] = [];
  const socket = (family = AF_INET, type = SOCK_STREAM): number => {
    const fd = hostSocket(family, type, 0);
    assert.ok(fd >= 0);
    fds.push(fd);
    return fd;
  };
  afterEach(() => {
    for (const fd of fds.splice(0)) hostClose(fd);
  });

  it('picks guest ports in order and keeps asked ones, per socket type', () => {
    const net = new InetNetwork(true);
    const a = {}, b = {}, c = {}, d = {};
    assert.deepEqual(net.bind(a, socket(), AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 0)), { wildcard: false });
    assert.deepEqual(net.bind(b, socket(), AF_INET, SOCK_STREAM, v4(0, 0, 0, 0, 0)), { wildcard: true });
    assert.equal(net.bind(c, socket(), AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 32768)), -Errno.EADDRINUSE);
    assert.deepEqual(net.bind(d, socket(AF_INET, SOCK_DGRAM), AF_INET, SOCK_DGRAM, v4(127, 0, 0, 1, 32768)), { wildcard: false });
    const fd = socket();
    assert.deepEqual(net.bind(c, fd, AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 80)), { wildcard: false });
    assert.equal(net.bind(c, fd, AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 81)), -Errno.EINVAL);
    const guest = net.guestName(SOCK_STREAM, v4(127, 0, 0, 1, hostPort(fd)));
    assert.ok(guest !== null);
    assert.equal(portOf(guest), 80);
  });

  it('refuses addresses beyond the loopback', () => {
    const net = new InetNetwork(true);
    assert.equal(net.bind({}, socket(), AF_INET, SOCK_STREAM, v4(192, 0, 2, 1, 0)), -Errno.EADDRNOTAVAIL);
    assert.equal(net.destination(AF_INET, SOCK_STREAM, v4(192, 0, 2, 1, 80)), -Errno.ENETUNREACH);
    assert.equal(net.destination(AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 80)), 'refused');
    const linkLocal = new Uint8Array(28);
    linkLocal.set([AF_INET6, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0x80]);
    linkLocal[23] = 1;
    assert.equal(net.bind({}, socket(AF_INET6), AF_INET6, SOCK_STREAM, linkLocal), -Errno.EINVAL);
  });

  it('leads destinations to the host port and knows a closed socket by its port', () => {
    const net = new InetNetwork(true);
    const owner = {};
    const fd = socket(AF_INET, SOCK_DGRAM);
    net.bind(owner, fd, AF_INET, SOCK_DGRAM, v4(127, 0, 0, 1, 5000));
    const dest = net.destination(AF_INET, SOCK_DGRAM, v4(127, 0, 0, 1, 5000));
    assert.ok(dest instanceof Uint8Array);
    assert.equal(portOf(dest), hostPort(fd));
    assert.equal(net.destination(AF_INET, SOCK_STREAM, v4(127, 0, 0, 1, 5000)), 'refused');
    net.release(owner);
    assert.equal(net.destination(AF_INET, SOCK_DGRAM, v4(127, 0, 0, 1, 5000)), 'refused');
    assert.equal(portOf(net.guestName(SOCK_DGRAM, withPort(v4(127, 0, 0, 1, 0), hostPort(fd)))!), 5000);
    assert.equal(net.guestName(SOCK_DGRAM, v4(127, 0, 0, 1, 1)), null);
  });

  it('passes everything through with --net=host', () => {
    const net = new InetNetwork(false);
    const addr = v4(192, 0, 2, 1, 80);
    assert.equal(net.destination(AF_INET, SOCK_STREAM, addr), addr);
    assert.equal(net.guestName(SOCK_STREAM, addr), addr);
    assert.equal(parseInetAddress(addr)?.kind, 'other');
  });
});
