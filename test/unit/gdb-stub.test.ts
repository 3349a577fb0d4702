// The gdb stub driven packet by packet against the fake target: the target description,
// negotiation, threads, registers, memory, qXfer objects, vFile host I/O, kill and detach.
import { strict as assert } from 'node:assert';
import { framePacket, unescapeBinary } from '../../emu/debug/packet.js';
import { AMD64_REGISTERS, NUM_REGISTERS, REG } from '../../emu/debug/target.js';
import { readTdesc, TDESC_FILES, tdescRegisters } from '../../emu/debug/tdesc.js';
import { CODE, CODE_BYTES, FakeTarget } from './gdb-fake-target.js';
import { GDB_FEATURES, Client, client, le64 } from './gdb-client.js';

describe('gdb target description', function () {
  it('numbers registers exactly as AMD64_REGISTERS', function () {
    const regs = tdescRegisters();
    assert.equal(regs.length, NUM_REGISTERS);
    assert.equal(NUM_REGISTERS, 60);
    assert.deepEqual(
      regs,
      AMD64_REGISTERS.map((r) => ({ regno: r.regno, name: r.name, bitsize: r.size * 8 })),
    );
    assert.equal(REG.rip, 16);
    assert.equal(REG.eflags, 17);
    assert.equal(REG.st0, 24);
    assert.equal(REG.fop, 39);
    assert.equal(REG.xmm0, 40);
    assert.equal(REG.mxcsr, 56);
    assert.equal(REG.orig_rax, 57);
    assert.equal(REG.fs_base, 58);
    assert.equal(REG.gs_base, 59);
  });

  it('names the architecture, OS ABI and included features', function () {
    const t = readTdesc('target.xml')!;
    assert.match(t, /<architecture>i386:x86-64<\/architecture>/);
    assert.match(t, /<osabi>GNU\/Linux<\/osabi>/);
    for (const f of ['64bit-core.xml', '64bit-sse.xml', '64bit-linux.xml', '64bit-segments.xml']) {
      assert.ok(t.includes(`href="${f}"`));
      assert.ok(TDESC_FILES.has(f));
    }
    assert.match(readTdesc('64bit-core.xml')!, /<feature name="org.gnu.gdb.i386.core">/);
    assert.match(readTdesc('64bit-linux.xml')!, /name="orig_rax" bitsize="64" type="int" regnum="57"/);
    assert.equal(readTdesc('nope.xml'), null);
  });
});

describe('gdb stub', function () {
  it('negotiates features with qSupported', function () {
    const c = client();
    const sup = c.req(GDB_FEATURES).split(';');
    for (const f of [
      'PacketSize=4000', 'QStartNoAckMode+', 'qXfer:features:read+', 'qXfer:auxv:read+', 'qXfer:exec-file:read+',
      'qXfer:threads:read+', 'vContSupported+', 'multiprocess+', 'swbreak+', 'hwbreak+', 'exec-events+',
    ]) {
      assert.ok(sup.includes(f), `${f} in ${sup.join(';')}`);
    }
    assert.ok(!sup.some((f) => f.startsWith('fork-events+') || f.startsWith('vfork-events+')));
    // a gdb that offers nothing gets nothing optional
    const bare = client().req('qSupported').split(';');
    assert.ok(bare.includes('multiprocess-'));
    assert.ok(!bare.includes('swbreak+') && !bare.includes('exec-events+'));
    // multiprocess can be refused
    const nomp = client({}, { multiprocess: false }).req(GDB_FEATURES).split(';');
    assert.ok(nomp.includes('multiprocess-'));
  });

  it('acknowledges packets until QStartNoAckMode, NAKs bad checksums and retransmits on -', function () {
    const c = client();
    c.req('qSupported:multiprocess+');
    assert.equal(c.acks, 1);
    c.stub.feed(Buffer.from('$qC#00'));
    assert.equal(c.nacks, 1);
    assert.equal(c.replies.length, 0);
    assert.equal(c.req('qC'), 'QCp64.64');
    assert.equal(c.acks, 2);
    const sent = c.wire.length;
    c.stub.feed(Buffer.from('-'));
    assert.equal(c.wire.length, sent + 1);
    assert.deepEqual(c.wire[sent], framePacket('QCp64.64'));
    assert.equal(c.replies.shift()!.toString(), 'QCp64.64');
    assert.equal(c.req('QStartNoAckMode'), 'OK');
    assert.equal(c.acks, 3);
    assert.equal(c.req('qC'), 'QCp64.64');
    c.stub.feed(Buffer.from('+-'));
    assert.equal(c.acks, 3);
    assert.equal(c.replies.length, 0);
  });

  it('answers unknown and deliberately empty packets with an empty reply', function () {
    const c = client();
    c.connect();
    for (const p of ['vMustReplyEmpty', 'qTStatus', 'qOffsets', 'qFooBar', 'vRun;', '!', 'QNonStop:1', 'Z5,1000,1', 'bc', 'qXfer:siginfo:read::0,10']) {
      assert.equal(c.req(p), '', p);
    }
    assert.equal(c.req('qSymbol::'), 'OK');
    assert.equal(c.req('qAttached:64'), '0');
    assert.equal(client({}, { attached: true }).req('qAttached'), '1');
  });

  it('reports the initial stop and threads', function () {
    const c = client({ threads: [100, 101, 102] });
    c.connect();
    assert.match(c.req('?'), /^T05(?:[0-9a-f]{2}:[0-9a-f]+;)*thread:p64\.64;$/);
    assert.equal(c.req('qfThreadInfo'), 'mp64.64,p64.65,p64.66');
    assert.equal(c.req('qsThreadInfo'), 'l');
    assert.equal(c.req('qC'), 'QCp64.64');
    assert.equal(c.req('Tp64.65'), 'OK');
    assert.equal(c.req('Tp64.99'), 'E01');
    assert.equal(c.req('Tp65.65'), 'E01');
    assert.equal(c.req('Hgp64.65'), 'OK');
    assert.equal(c.req('qC'), 'QCp64.65');
    assert.equal(c.req('Hgp64.99'), 'E01');
    assert.equal(c.req('Hc-1'), 'OK');
    assert.equal(c.req('Hgp0.0'), 'OK');
    const xml = c.xfer('threads', '').toString();
    assert.match(xml, /<thread id="p64.64" core="0" name="prog"\/>/);
    assert.match(xml, /<thread id="p64.66" core="0" name="worker-102"\/>/);
    assert.equal(c.req('qThreadExtraInfo,p64.65'), Buffer.from('worker-101').toString('hex'));
  });

  it('uses plain thread ids without multiprocess', function () {
    const c = client({ threads: [100, 101] }, { multiprocess: false });
    c.connect();
    assert.equal(c.req('qfThreadInfo'), 'm64,65');
    assert.match(c.req('?'), /thread:64;$/);
    assert.equal(c.req('Hg65'), 'OK');
    assert.equal(c.req('qC'), 'QC65');
    assert.equal(c.req('T65'), 'OK');
  });

  it('reads and writes registers with g/G/p/P', function () {
    const c = client({ threads: [100, 101] });
    c.connect();
    const g = c.req('g');
    const size = AMD64_REGISTERS.reduce((n, r) => n + r.size, 0);
    assert.equal(size, 560);
    assert.equal(g.length, size * 2);
    assert.equal(g.slice(16 * 16, 17 * 16), le64(CODE)); // rip after 16 GPRs
    assert.equal(g.slice(16, 32), le64(0xdeadbeefcafef00dn)); // rbx
    assert.equal(c.req('p10'), le64(CODE));
    assert.equal(c.req('p11'), '02020000'); // eflags, 4 bytes
    assert.equal(c.req('p18'), '00'.repeat(10)); // st0, 10 bytes
    assert.equal(c.req('p38'), '801f0000'); // mxcsr
    assert.equal(c.req('p39'), 'ff'.repeat(8)); // orig_rax = -1
    assert.equal(c.req('p3a'), le64(0x2800n)); // fs_base
    assert.equal(c.req('p3c'), 'E01');
    assert.equal(c.req('P2=7700000000000000'), 'OK');
    assert.equal(c.target.reg(100, REG.rcx), 0x77n);
    assert.equal(c.req('P2=77'), 'E01'); // wrong size
    // per thread
    assert.equal(c.req('Hgp64.65'), 'OK');
    assert.equal(c.req('p0'), le64(0x2222n));
    assert.equal(c.req('Hgp64.64'), 'OK');
    assert.equal(c.req('p0'), le64(0x1111n));
    // G writes everything back; change rdx and xmm1 inside the blob
    const regs = Buffer.from(g, 'hex');
    regs.writeBigUInt64LE(0x1234n, 3 * 8);
    let xmm1 = 0;
    for (const r of AMD64_REGISTERS) {
      if (r.name === 'xmm1') break;
      xmm1 += r.size;
    }
    regs.fill(0xab, xmm1, xmm1 + 16);
    assert.equal(c.req('G' + regs.toString('hex')), 'OK');
    assert.equal(c.target.reg(100, REG.rdx), 0x1234n);
    assert.equal(c.req('p29'), 'ab'.repeat(16));
    assert.equal(c.req('g'), regs.toString('hex'));
    assert.equal(c.req('Gzz'), 'E01');
  });

  it('reports unavailable registers as x', function () {
    const t = new FakeTarget({ pid: 100 });
    const orig = t.readRegister.bind(t);
    t.readRegister = (tid, regno) => (regno === REG.st0 ? null : orig(tid, regno));
    const c = new Client(t);
    c.connect();
    assert.equal(c.req('p18'), 'xx'.repeat(10));
    const g = c.req('g');
    assert.equal(g.slice(2 * (24 * 8 - 7 * 4), 2 * (24 * 8 - 7 * 4) + 20), 'xx'.repeat(10));
  });

  it('reads memory, partially across an unmapped page, and writes it with M and X', function () {
    const c = client();
    c.connect();
    assert.equal(c.req('m1000,4'), Buffer.from(CODE_BYTES.slice(0, 4)).toString('hex'));
    assert.equal(c.req('m5000,4'), 'E01');
    assert.equal(c.req('m2ff8,10'), '00'.repeat(8)); // 0x3000 is unmapped: 8 bytes only
    assert.equal(c.req('mzz,4'), 'E01');
    assert.equal(c.req('M2000,4:01020304'), 'OK');
    assert.equal(c.req('m2000,4'), '01020304');
    assert.equal(c.req('M2000,4:0102'), 'E01');
    assert.equal(c.req('M5000,1:00'), 'E01');
    assert.equal(c.req('X2000,0:'), 'OK'); // gdb's probe
    const data = Buffer.from([0x23, 0x24, 0x7d, 0x2a, 0x03, 0x00, 0xff, 0x2b]);
    const esc = Buffer.from([0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x03, 0x00, 0xff, 0x2b]);
    assert.equal(c.req(Buffer.concat([Buffer.from('X2010,8:'), esc])), 'OK');
    assert.equal(c.req('m2010,8'), data.toString('hex'));
    assert.equal(c.req(Buffer.concat([Buffer.from('X2010,9:'), esc])), 'E01'); // length mismatch
    assert.equal(c.req('X5000,1:a'), 'E01');
    // large reads are capped to the packet size
    assert.equal(c.req('m7ffffffde000,10000').length, 0x4000 - 8 - (0x4000 - 8) % 2);
  });

  it('serves qXfer objects in pieces with m/l', function () {
    const c = client();
    c.connect();
    assert.equal(c.xfer('features', 'target.xml', 0x20).toString(), readTdesc('target.xml'));
    for (const [name, doc] of TDESC_FILES) assert.equal(c.xfer('features', name, 0x37).toString(), doc);
    assert.equal(c.req('qXfer:features:read:target.xml:10000,100'), 'l');
    assert.equal(c.req('qXfer:features:read:bogus.xml:0,100'), 'E00');
    assert.deepEqual(c.xfer('auxv', '', 7), Buffer.from(c.target.auxv()!));
    assert.equal(c.xfer('exec-file', '').toString(), '/fake/prog');
    assert.equal(c.xfer('exec-file', '64').toString(), '/fake/prog');
    assert.equal(c.req('qXfer:exec-file:read:65:0,100'), 'E00');
    assert.equal(c.req('qXfer:features:write:target.xml:0:abc'), '');
    assert.equal(c.req('qXfer:auxv:read::zz,10'), 'E01');
  });

  it('escapes binary qXfer data', function () {
    const t = new FakeTarget({ pid: 100 });
    const auxv = Buffer.from([0x23, 0x24, 0x7d, 0x2a, 0x00, 0x01]);
    t.auxv = () => auxv;
    const c = new Client(t);
    c.connect();
    const raw = c.reqRaw('qXfer:auxv:read::0,100');
    assert.deepEqual(raw, Buffer.from([0x6c, 0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x00, 0x01]));
  });

  it('serves /proc files and the executable through vFile host I/O', function () {
    const exe = Buffer.from(Array.from({ length: 0x2800 }, (_, i) => (i * 7) & 0xff));
    const c = client({ files: new Map([['/fake/prog', exe]]) });
    c.connect();
    const hex = (s: string): string => Buffer.from(s).toString('hex');
    assert.equal(c.req('vFile:setfs:0'), 'F0');
    assert.equal(c.req(`vFile:open:${hex('/nonexistent')},0,0`), 'F-1,2');
    assert.equal(c.req(`vFile:open:${hex('/proc/100/maps')},1,1c0`), 'F-1,1e'); // write: EROFS
    const open = c.req(`vFile:open:${hex('/proc/100/maps')},0,1c0`);
    assert.match(open, /^F[0-9a-f]+$/);
    const fd = open.slice(1);
    const pieces: Buffer[] = [];
    for (let off = 0; ; ) {
      const r = c.reqRaw(`vFile:pread:${fd},40,${off.toString(16)}`);
      const semi = r.indexOf(0x3b);
      const n = parseInt(r.subarray(1, semi).toString(), 16);
      if (n === 0) break;
      const data = unescapeBinary(r.subarray(semi + 1))!;
      assert.equal(data.length, n);
      pieces.push(data);
      off += n;
    }
    assert.equal(Buffer.concat(pieces).toString(), c.target.mapsText());
    assert.match(c.target.mapsText(), /^00001000-00002000 r-xp 00000000 00:00 0 +\/fake\/prog$/m);
    assert.equal(c.req(`vFile:close:${fd}`), 'F0');
    assert.equal(c.req(`vFile:close:${fd}`), 'F-1,9');
    assert.equal(c.req(`vFile:pread:${fd},10,0`), 'F-1,9');
    // the executable, with fstat giving its size
    const efd = c.req(`vFile:open:${hex('/fake/prog')},0,0`).slice(1);
    const st = c.reqRaw(`vFile:fstat:${efd}`);
    assert.equal(st.subarray(0, 4).toString(), 'F40;');
    const stat = unescapeBinary(st.subarray(4))!;
    assert.equal(stat.length, 64);
    assert.equal(stat.readBigUInt64BE(28), 0x2800n);
    assert.equal(stat.readUInt32BE(8) & 0o170000, 0o100000);
    const r = c.reqRaw(`vFile:pread:${efd},1000,1000`);
    const semi = r.indexOf(0x3b);
    assert.equal(r.subarray(0, semi).toString(), 'F1000');
    assert.deepEqual(unescapeBinary(r.subarray(semi + 1)), exe.subarray(0x1000, 0x2000));
    assert.equal(c.reqRaw(`vFile:readlink:${hex('/proc/100/exe')}`).toString(), 'F' + (10).toString(16) + ';/fake/prog');
    assert.equal(c.req(`vFile:pwrite:${efd},0,abc`), 'F-1,9');
    assert.equal(c.req(`vFile:stat:${hex('/x')}`), '');
  });

  it('kills with k and vKill, and detaches with D', function () {
    const k = client();
    k.connect();
    k.send('k');
    assert.equal(k.replies.length, 0);
    assert.equal(k.target.state, 'killed');
    assert.equal(k.closed, true);
    assert.equal(k.ended, 'killed');
    const v = client();
    v.connect();
    assert.equal(v.req('vKill;64'), 'OK');
    assert.equal(v.target.state, 'killed');
    assert.equal(v.closed, false); // gdb hangs up itself
    assert.equal(v.req('?'), 'X09;process:64');
    const d = client();
    d.connect();
    d.req('Z0,1010,1');
    assert.equal(d.req('D;65'), 'E01');
    assert.equal(d.req('D;64'), 'OK');
    assert.equal(d.target.state, 'detached');
    assert.equal(d.target.swBreakpoints.size, 0);
    assert.equal(d.closed, true);
    assert.equal(d.ended, 'detached');
    d.send('g'); // ignored after the session ended
    assert.equal(d.replies.length, 0);
  });

  it('run-length encodes replies on the wire', function () {
    const c = client();
    c.connect();
    c.wire.length = 0;
    const g = c.req('g');
    const wire = Buffer.concat(c.wire).toString('latin1');
    assert.ok(wire.includes('*'));
    assert.ok(wire.length < g.length / 2);
    const plain = client({}, { rle: false });
    plain.connect();
    plain.wire.length = 0;
    plain.req('g');
    assert.ok(!Buffer.concat(plain.wire).includes(0x2a));
  });
});
