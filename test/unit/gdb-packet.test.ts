// The gdb remote protocol codec: framing, checksums, binary escapes, run-length encoding and
// the streaming parser.
import { strict as assert } from 'node:assert';
import {
  checksum,
  escapeBinary,
  framePacket,
  fromHex,
  PacketParser,
  rleDecode,
  rleEncode,
  toHex,
  unescapeBinary,
  type PacketEvent,
} from '../../emu/debug/packet.js';
import { gdbSignalFromLinux, linuxSignalFromGdb } from '../../emu/debug/signals.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function packets(events: PacketEvent[]): string[] {
  return events.map((e) => (e.type === 'packet' || e.type === 'notification' ? `${e.type}:${e.payload.toString('latin1')}` : e.type));
}

describe('gdb packet codec', function () {
  it('computes checksums mod 256 and frames packets', function () {
    assert.equal(checksum(b('')), 0);
    assert.equal(checksum(b('OK')), 0x9a);
    assert.equal(checksum(b('qSupported')), 0x37);
    assert.equal(checksum(Buffer.alloc(300, 0xff)), (300 * 0xff) % 256);
    assert.equal(framePacket('OK').toString('latin1'), '$OK#9a');
    assert.equal(framePacket('').toString('latin1'), '$#00');
    assert.equal(framePacket('g').toString('latin1'), '$g#67');
    assert.equal(framePacket('Stop:T05', true).toString('latin1'), '%Stop:T05#' + checksum(b('Stop:T05')).toString(16));
    // binary payload passes through byte for byte
    const bin = Buffer.from([0x00, 0xff, 0x80, 0x7e]);
    assert.deepEqual(framePacket(bin).subarray(1, 5), bin);
  });

  it('escapes $ # } * and nothing else, and unescapes', function () {
    const raw = Buffer.from([0x24, 0x23, 0x7d, 0x2a, 0x03, 0x00, 0x41, 0xff, 0x5d]);
    const esc = escapeBinary(raw);
    assert.deepEqual([...esc], [0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a, 0x03, 0x00, 0x41, 0xff, 0x5d]);
    assert.deepEqual(unescapeBinary(esc), raw);
    assert.deepEqual(escapeBinary(b('plain')), b('plain'));
    assert.equal(unescapeBinary(b('ab}')), null);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(unescapeBinary(escapeBinary(all)), all);
  });

  it('run-length decodes like gdb and encodes like gdbserver', function () {
    assert.equal(rleDecode(b('0* '))!.toString(), '0000'); // ' ' = 3 more
    assert.equal(rleDecode(b('a*"b'))!.toString(), 'aaaaaab'); // '"' = 5 more
    assert.equal(rleDecode(b('x*~'))!.toString(), 'x'.repeat(98));
    assert.equal(rleDecode(b('*a')), null);
    assert.equal(rleDecode(b('a*')), null);
    assert.equal(rleEncode(b('abc')).toString(), 'abc');
    assert.equal(rleEncode(b('aaa')).toString(), 'aaa'); // not worth it
    assert.equal(rleEncode(b('aaaa')).toString(), 'a* ');
    // 7 or 8 in a row would need '#' or '$' as the count: use a shorter run
    assert.equal(rleEncode(b('0000000')).toString(), '0*"0');
    assert.equal(rleEncode(b('00000000')).toString(), '0*"00');
    for (let n = 1; n < 400; n++) {
      const s = b('x' + '0'.repeat(n) + 'y');
      const enc = rleEncode(s);
      assert.ok(!enc.includes(0x23) && !enc.includes(0x24), `no # or $ for ${n}`);
      assert.deepEqual(rleDecode(enc), s, `round trip ${n}`);
    }
    const zeros = '0'.repeat(1120);
    assert.ok(rleEncode(b(zeros)).length < 40);
  });

  it('hex helpers', function () {
    assert.equal(toHex(Buffer.from([0, 0xab, 0x10])), '00ab10');
    assert.deepEqual(fromHex('00AB10'), Buffer.from([0, 0xab, 0x10]));
    assert.equal(fromHex('abc'), null);
    assert.equal(fromHex('zz'), null);
  });

  it('parses packets, acks and interrupts from one chunk', function () {
    const p = new PacketParser();
    const ev = p.feed(b('+$qC#b4-\x03$OK#9a+'));
    assert.deepEqual(packets(ev), ['ack', 'packet:qC', 'nack', 'interrupt', 'packet:OK', 'ack']);
  });

  it('reassembles packets split at every byte', function () {
    const wire = Buffer.concat([framePacket('m1000,4'), b('+'), framePacket('vCont;c'), b('\x03')]);
    const p = new PacketParser();
    const ev: PacketEvent[] = [];
    for (const byte of wire) ev.push(...p.feed(Buffer.from([byte])));
    assert.deepEqual(packets(ev), ['packet:m1000,4', 'ack', 'packet:vCont;c', 'interrupt']);
    // and at every split point in two chunks
    for (let i = 0; i <= wire.length; i++) {
      const q = new PacketParser();
      const got = [...q.feed(wire.subarray(0, i)), ...q.feed(wire.subarray(i))];
      assert.deepEqual(packets(got), ['packet:m1000,4', 'ack', 'packet:vCont;c', 'interrupt'], `split ${i}`);
    }
  });

  it('treats 0x03 and + inside a packet as data (binary X packets)', function () {
    const data = Buffer.from([0x03, 0x2b, 0x2d, 0x00, 0x7d, 0x24 ^ 0x20]);
    const payload = Buffer.concat([b('X2000,5:'), data]);
    const p = new PacketParser();
    const ev = p.feed(framePacket(payload));
    assert.equal(ev.length, 1);
    assert.equal(ev[0].type, 'packet');
    if (ev[0].type === 'packet') {
      assert.deepEqual(ev[0].payload, payload);
      assert.deepEqual(unescapeBinary(ev[0].payload.subarray(8)), Buffer.from([0x03, 0x2b, 0x2d, 0x00, 0x24]));
    }
  });

  it('reports bad checksums with both sums', function () {
    const p = new PacketParser();
    const ev = p.feed(b('$OK#00$OK#zz'));
    assert.equal(ev.length, 2);
    assert.deepEqual(ev[0], { type: 'bad-checksum', payload: b('OK'), expected: 0x9a, received: 0 });
    assert.equal(ev[1].type, 'bad-checksum');
    // upper-case checksum digits are accepted
    assert.deepEqual(packets(p.feed(b('$OK#9A'))), ['packet:OK']);
  });

  it('restarts on $ inside a packet and ignores noise between packets', function () {
    const p = new PacketParser();
    assert.deepEqual(packets(p.feed(b('junk\n$broken$g#67'))), ['packet:g']);
    assert.equal(p.inPacket, false);
    p.feed(b('$m10'));
    assert.equal(p.inPacket, true);
  });

  it('decodes RLE in replies when asked, and notifications', function () {
    const p = new PacketParser({ decodeRle: true });
    const payload = rleEncode(b('0'.repeat(32) + 'ab'));
    assert.deepEqual(packets(p.feed(framePacket(payload))), ['packet:' + '0'.repeat(32) + 'ab']);
    assert.deepEqual(packets(new PacketParser().feed(framePacket(payload))), ['packet:' + payload.toString('latin1')]);
    assert.deepEqual(packets(p.feed(framePacket('Stop:T05', true))), ['notification:Stop:T05']);
  });

  it('drops packets over the size limit', function () {
    const p = new PacketParser({ maxPacketSize: 8 });
    assert.deepEqual(packets(p.feed(framePacket('0123456789'))), ['overflow']);
    assert.deepEqual(packets(p.feed(framePacket('0123'))), ['packet:0123']);
  });

  it('does not keep references to the caller\'s chunk', function () {
    const p = new PacketParser();
    const chunk = b('$abc');
    p.feed(chunk);
    chunk.fill(0x5a);
    assert.deepEqual(packets(p.feed(b('#26'))), ['packet:abc']);
  });
});

describe('gdb signal numbers', function () {
  it('maps Linux signals to gdb numbers and back', function () {
    const pairs: [number, number][] = [
      [0, 0], [2, 2], [5, 5], [6, 6], [7, 10], [9, 9], [10, 30], [11, 11], [12, 31], [17, 20],
      [18, 19], [19, 17], [20, 18], [23, 16], [29, 23], [30, 32], [31, 12], [32, 77], [33, 45],
      [34, 46], [63, 75], [64, 78],
    ];
    for (const [linux, gdb] of pairs) {
      assert.equal(gdbSignalFromLinux(linux), gdb, `linux ${linux}`);
      assert.equal(linuxSignalFromGdb(gdb), linux, `gdb ${gdb}`);
    }
    assert.equal(gdbSignalFromLinux(16), 143); // SIGSTKFLT: unknown to gdb
    assert.equal(linuxSignalFromGdb(7), 0); // SIGEMT: Linux has none
  });
});
