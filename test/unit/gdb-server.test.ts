// The gdb server: --gdb listen specs, and one TCP connection (a second client is turned away,
// the process detached when gdb vanishes).
import { strict as assert } from 'node:assert';
import net from 'node:net';
import { framePacket, PacketParser } from '../../emu/debug/packet.js';
import { GdbServer, parseGdbListenSpec } from '../../emu/debug/server.js';
import { FakeTarget } from './gdb-fake-target.js';

describe('gdb server', function () {
  it('parses --gdb arguments', function () {
    assert.deepEqual(parseGdbListenSpec('1234'), { kind: 'tcp', host: '127.0.0.1', port: 1234 });
    assert.deepEqual(parseGdbListenSpec('0.0.0.0:99'), { kind: 'tcp', host: '0.0.0.0', port: 99 });
    assert.deepEqual(parseGdbListenSpec(':99'), { kind: 'tcp', host: '127.0.0.1', port: 99 });
    assert.deepEqual(parseGdbListenSpec('unix:/tmp/x.sock'), { kind: 'unix', path: '/tmp/x.sock' });
    assert.throws(() => parseGdbListenSpec('unix:'));
    assert.throws(() => parseGdbListenSpec('abc'));
    assert.throws(() => parseGdbListenSpec('70000'));
  });

  it('serves one TCP connection and detaches the process when gdb vanishes', async function () {
    const target = new FakeTarget({ pid: 100 });
    const server = new GdbServer(target);
    const addr = await server.listen({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    const port = Number(addr.split(':').pop());
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const parser = new PacketParser({ decodeRle: true });
    const replies: string[] = [];
    sock.on('data', (d) => {
      for (const ev of parser.feed(d)) if (ev.type === 'packet') replies.push(ev.payload.toString('latin1'));
    });
    // a second client is turned away
    const second = net.connect(port, '127.0.0.1');
    const secondClosed = new Promise((r) => second.once('close', r));
    second.on('error', () => undefined);
    sock.write(Buffer.concat([Buffer.from('+'), framePacket('qSupported:multiprocess+'), framePacket('m1000,2')]));
    while (replies.length < 2) await new Promise((r) => setTimeout(r, 5));
    assert.match(replies[0], /^PacketSize=/);
    assert.equal(replies[1], '5548');
    await secondClosed;
    const gone = new Promise<string>((r) => server.once('disconnect', r));
    sock.destroy();
    assert.equal(await gone, 'disconnected');
    assert.equal(target.state, 'detached');
    await server.close();
  });
});
