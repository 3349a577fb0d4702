// The gdb stub driven packet by packet against the fake target, the server over real
// sockets, and one session with Debian's real gdb.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { framePacket, PacketParser, unescapeBinary } from '../../emu/debug/packet.js';
import { GdbServer, parseGdbListenSpec } from '../../emu/debug/server.js';
import { GdbStub, type StubOptions } from '../../emu/debug/stub.js';
import { AMD64_REGISTERS, NUM_REGISTERS, REG } from '../../emu/debug/target.js';
import { readTdesc, TDESC_FILES, tdescRegisters } from '../../emu/debug/tdesc.js';
import { CODE, CODE_BYTES, FakeTarget, type FakeOp, type FakeTargetOptions } from './gdb-fake-target.js';
import { hasTool, requireFile, requireHost } from '../host-requirements.js';

const GDB_FEATURES =
  'qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386';

/** A scripted gdb: sends packets into the stub and collects what comes back. */
class Client {
  readonly stub: GdbStub;
  readonly target: FakeTarget;
  readonly wire: Buffer[] = [];
  private readonly parser = new PacketParser({ decodeRle: true });
  readonly replies: Buffer[] = [];
  acks = 0;
  nacks = 0;
  closed = false;
  ended: string | null = null;

  constructor(target: FakeTarget, options: StubOptions = {}) {
    this.target = target;
    this.stub = new GdbStub(
      target,
      {
        write: (data) => this.receive(data),
        close: () => {
          this.closed = true;
        },
      },
      { ...options, onEnd: (how) => (this.ended = how) },
    );
  }

  private receive(data: Buffer): void {
    this.wire.push(Buffer.from(data));
    for (const ev of this.parser.feed(data)) {
      if (ev.type === 'packet') this.replies.push(ev.payload);
      else if (ev.type === 'ack') this.acks++;
      else if (ev.type === 'nack') this.nacks++;
    }
  }

  send(payload: string | Buffer): void {
    this.stub.feed(framePacket(payload));
  }

  /** Send a packet that is answered at once; return the reply as text. */
  req(payload: string | Buffer): string {
    return this.reqRaw(payload).toString('latin1');
  }

  reqRaw(payload: string | Buffer): Buffer {
    const before = this.replies.length;
    this.send(payload);
    assert.equal(this.replies.length, before + 1, `exactly one reply to ${payload.toString()}`);
    return this.replies.pop()!;
  }

  /** Wait for the next asynchronous reply (a stop reply). */
  async next(timeoutMs = 2000): Promise<string> {
    const start = Date.now();
    while (this.replies.length === 0) {
      if (Date.now() - start > timeoutMs) throw new Error('no reply');
      await new Promise((r) => setImmediate(r));
    }
    return this.replies.shift()!.toString('latin1');
  }

  /** Handshake as gdb does, ending in no-ack mode. */
  connect(features = GDB_FEATURES): string {
    const sup = this.req(features);
    assert.equal(this.req('QStartNoAckMode'), 'OK');
    return sup;
  }

  /** Read a whole qXfer object in pieces of `chunk` bytes. */
  xfer(object: string, annex: string, chunk = 0x1000): Buffer {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const r = this.reqRaw(`qXfer:${object}:read:${annex}:${offset.toString(16)},${chunk.toString(16)}`);
      const kind = String.fromCharCode(r[0]);
      assert.ok(kind === 'm' || kind === 'l', `qXfer reply ${r.toString('latin1')}`);
      const data = unescapeBinary(r.subarray(1))!;
      parts.push(data);
      offset += data.length;
      if (kind === 'l') return Buffer.concat(parts);
      assert.ok(data.length > 0);
    }
  }
}

function program(entries: [bigint, FakeOp][]): Map<bigint, FakeOp> {
  return new Map(entries);
}

function client(opts: FakeTargetOptions = {}, stubOptions: StubOptions = {}): Client {
  return new Client(new FakeTarget({ pid: 100, ...opts }), stubOptions);
}

function le64(v: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b.toString('hex');
}

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

  it('steps with vCont and legacy s, reporting the stop thread', async function () {
    const c = client({ threads: [100, 101] });
    c.connect();
    assert.equal(c.req('vCont?'), 'vCont;c;C;s;S');
    c.send('vCont;s:p64.65;c');
    assert.equal(c.stub.isRunning, true);
    const r = await c.next();
    assert.match(r, /^T05.*thread:p64\.65;$/);
    assert.ok(r.includes(`10:${le64(CODE + 4n)};`), r); // expedited rip
    assert.deepEqual(c.target.log, ['resume 100:c,101:s']);
    assert.equal(c.target.reg(101, REG.rip), CODE + 4n);
    assert.equal(c.target.reg(100, REG.rip), CODE);
    // the stop thread became the general thread
    assert.equal(c.req('p10'), le64(CODE + 4n));
    c.send('s');
    assert.match(await c.next(), /thread:p64\.65;$/);
    assert.equal(c.target.log[1], 'resume 101:s,100:c');
    // only the listed thread runs
    c.send('vCont;s:p64.64');
    await c.next();
    assert.equal(c.target.log[2], 'resume 100:s');
    // c with an address sets rip first
    c.send('Hcp64.64');
    assert.equal(c.replies.pop()!.toString(), 'OK');
    c.send('s1010');
    assert.match(await c.next(), /thread:p64\.64;$/);
    assert.equal(c.target.reg(100, REG.rip), 0x1014n);
    assert.equal(c.target.log[3], 'resume 100:s');
    assert.equal(c.req('vCont;x'), 'E01');
    assert.equal(c.req('vCont;c:p64.99'), 'E01'); // matches no thread
  });

  it('stops at software and hardware breakpoints with swbreak/hwbreak', async function () {
    const c = client({ program: program([[0x1020n, { op: 'jump', to: CODE }]]) });
    c.connect();
    assert.equal(c.req('Z0,1010,1'), 'OK');
    c.send('vCont;c');
    const r = await c.next();
    assert.match(r, /^T05swbreak:;.*thread:p64\.64;$/);
    assert.equal(c.target.reg(100, REG.rip), 0x1010n);
    // inserting it again is not a second breakpoint: one z removes it (as in gdbserver)
    assert.equal(c.req('Z0,1010,1'), 'OK');
    assert.ok(c.target.swBreakpoints.has(0x1010n));
    assert.equal(c.req('z0,1010,1'), 'OK');
    assert.ok(!c.target.swBreakpoints.has(0x1010n));
    assert.equal(c.req('z0,1010,1'), 'E01');
    assert.equal(c.req('Z0,9000,1'), 'E01'); // unmapped
    assert.equal(c.req('Z1,1018,1'), 'OK');
    c.send('vCont;c');
    assert.match(await c.next(), /^T05hwbreak:;/);
    assert.equal(c.req('z1,1018,1'), 'OK');
    // a gdb without swbreak gets a plain T05
    const d = client();
    d.connect('qSupported:multiprocess+');
    d.req('Z0,1008,1');
    d.send('vCont;c');
    assert.match(await d.next(), /^T0506:/);
  });

  it('reports write, read and access watchpoints with the data address', async function () {
    const c = client({
      program: program([
        [0x1004n, { op: 'load', address: 0x2010n, length: 8 }],
        [0x1008n, { op: 'store', address: 0x2016n, data: [1, 2, 3, 4] }],
        [0x100cn, { op: 'store', address: 0x2100n, data: [5] }],
        [0x1020n, { op: 'jump', to: CODE }],
      ]),
    });
    c.connect();
    assert.equal(c.req('Z3,2010,4'), 'OK');
    c.send('vCont;c');
    assert.match(await c.next(), /^T05rwatch:2010;/);
    assert.equal(c.req('z3,2010,4'), 'OK');
    assert.equal(c.req('Z2,2018,8'), 'OK');
    c.send('vCont;c');
    assert.match(await c.next(), /^T05watch:2018;/); // the store at 0x2016 overlaps from 0x2018
    assert.equal(c.target.reg(100, REG.rip), 0x100cn); // after the storing instruction
    assert.equal(c.req('z2,2018,8'), 'OK');
    assert.equal(c.req('Z4,2100,1'), 'OK');
    c.send('vCont;c');
    assert.match(await c.next(), /^T05awatch:2100;/);
    assert.equal(c.req('Z2,2000,0'), 'E01');
  });

  it('interrupts a running target on 0x03 and holds packets until the stop', async function () {
    const c = client({ program: program([[0x1020n, { op: 'jump', to: CODE }]]) });
    c.connect();
    c.send('vCont;c');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.stub.isRunning, true);
    c.send('qC'); // held
    assert.equal(c.replies.length, 0);
    c.stub.feed(Buffer.from([0x03]));
    assert.match(await c.next(), /^T02.*thread:p64\.64;$/);
    assert.equal(await c.next(), 'QCp64.64');
    assert.ok(c.target.log.includes('interrupt'));
    // 0x03 while stopped is ignored
    c.stub.feed(Buffer.from([0x03]));
    assert.equal(c.target.log.filter((l) => l === 'interrupt').length, 1);
  });

  it('reports signals, passes them with C, and reports the kill as X', async function () {
    const c = client({ program: program([[0x1008n, { op: 'fault', signal: 11 }]]) });
    c.connect();
    c.send('vCont;c');
    assert.match(await c.next(), /^T0b/);
    assert.equal(c.target.reg(100, REG.rip), 0x1008n);
    c.send('vCont;C0b:p64.64');
    assert.equal(await c.next(), 'X0b;process:64');
    assert.deepEqual(c.target.delivered, [{ tid: 100, signal: 11 }]);
    // SIGUSR1 is 30 in gdb's numbering, 10 on Linux
    const d = client();
    d.connect();
    d.send('C1e');
    assert.equal(await d.next(), 'X1e;process:64');
    assert.deepEqual(d.target.delivered, [{ tid: 100, signal: 10 }]);
  });

  it('reports exit with W, then refuses process access', async function () {
    const c = client({ program: program([[0x1004n, { op: 'exit', status: 3 }]]) });
    c.connect();
    c.send('vCont;c');
    assert.equal(await c.next(), 'W03;process:64');
    assert.equal(c.stub.processGone, true);
    assert.equal(c.req('?'), 'W03;process:64');
    assert.equal(c.req('g'), 'E01');
    assert.equal(c.req('m1000,1'), 'E01');
    assert.equal(c.req('qfThreadInfo'), 'l');
    assert.equal(c.req('vCont;c'), 'W03;process:64');
    const n = client({ program: program([[0x1000n, { op: 'exit', status: 0 }]]) }, { multiprocess: false });
    n.connect();
    n.send('c');
    assert.equal(await n.next(), 'W00');
  });

  it('reports exec events when gdb asks for them', async function () {
    const prog = program([[0x1004n, { op: 'exec', path: '/bin/true', entry: 0x1100n }]]);
    const c = client({ threads: [100, 101], program: prog });
    c.connect();
    c.send('vCont;c');
    const r = await c.next();
    assert.match(r, new RegExp(`^T05exec:${Buffer.from('/bin/true').toString('hex')};.*thread:p64\\.64;$`));
    assert.equal(c.req('qfThreadInfo'), 'mp64.64');
    assert.equal(c.xfer('exec-file', '64').toString(), '/bin/true');
    const d = client({ program: prog });
    d.connect('qSupported:multiprocess+;swbreak+');
    d.send('vCont;c');
    assert.match(await d.next(), /^T0506:/); // a plain SIGTRAP
  });

  it('continues the parent through a fork (no fork-events)', async function () {
    const c = client({
      program: program([
        [0x1004n, { op: 'fork', childPid: 200 }],
        [0x100cn, { op: 'exit', status: 9 }],
      ]),
    });
    c.connect();
    c.send('vCont;c');
    assert.equal(await c.next(), 'W09;process:64');
    assert.deepEqual(c.target.log, ['resume 100:c', 'resume 100:c']);
  });

  it('works with a target that stops synchronously inside resume()', function () {
    const c = client({ sync: true });
    c.connect();
    c.send('vCont;s:p64.64');
    assert.equal(c.replies.length, 1);
    assert.match(c.replies.pop()!.toString(), /^T05/);
    assert.equal(c.stub.isRunning, false);
    assert.equal(c.req('p10'), le64(CODE + 4n));
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

// ---- the real gdb ----------------------------------------------------------------------


interface GdbRun {
  out: string;
  code: number | null;
  target: FakeTarget;
}

async function runGdb(
  target: FakeTarget,
  commands: string[],
  opts: { interruptWhenRunning?: boolean; stub?: Omit<StubOptions, 'onEnd'>; before?: string[] } = {},
): Promise<GdbRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ushim-gdb-'));
  const sockPath = join(dir, 'gdb.sock');
  const server = new GdbServer(target, opts.stub ?? {});
  await server.listen(`unix:${sockPath}`);
  try {
    const args = ['-nx', '-batch', '-ex', 'set architecture i386:x86-64'];
    for (const c of [...(opts.before ?? []), `target remote ${sockPath}`, ...commands]) args.push('-ex', c);
    const gdb = spawn('gdb', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    gdb.stdout.on('data', (d: Buffer) => (out += d.toString()));
    gdb.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Ctrl-C: once gdb has resumed the target, SIGINT to gdb makes it send 0x03.
    let interrupted = false;
    const timer = opts.interruptWhenRunning
      ? setInterval(() => {
          if (!interrupted && target.state === 'running') {
            interrupted = true;
            setTimeout(() => gdb.kill('SIGINT'), 100);
          }
        }, 10)
      : null;
    const killer = setTimeout(() => gdb.kill('SIGKILL'), 60000);
    const code = await new Promise<number | null>((r) => gdb.on('exit', (c) => r(c)));
    if (timer) clearInterval(timer);
    clearTimeout(killer);
    return { out, code, target };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('gdb stub with the real gdb', function () {
  before(function () {
    requireHost(this, hasTool('gdb'), 'gdb (apt-get install gdb)');
  });

  it('reads registers and memory, steps, stops at a breakpoint and kills', async function () {
    const target = new FakeTarget({
      pid: 4242,
      program: program([
        [0x1000n, { op: 'add', reg: REG.rax, value: 1n }],
        [0x1020n, { op: 'jump', to: CODE }],
      ]),
    });
    const { out, code } = await runGdb(target, [
      'info registers rip',
      'x/4xb 0x1000',
      'stepi',
      'info registers rip',
      'break *0x1010',
      'continue',
      'info registers rip',
      'p/x $rax',
      'p/x $rbx',
      'kill',
    ]);
    assert.equal(code, 0, out);
    const rips = [...out.matchAll(/^rip\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+/gm)].map((m) => m[1]);
    assert.deepEqual(rips, ['0x1000', '0x1004', '0x1010'], out);
    assert.match(out, /^0x1000:\s+0x55\s+0x48\s+0x89\s+0xe5$/m);
    assert.match(out, /^0x0000000000001004 in \?\? \(\)$/m); // stepi
    assert.match(out, /^Breakpoint 1 at 0x1010$/m);
    assert.match(out, /^Breakpoint 1, 0x0000000000001010 in \?\? \(\)$/m);
    assert.match(out, /^\$1 = 0x1112$/m); // rax: 0x1111 + 1
    assert.match(out, /^\$2 = 0xdeadbeefcafef00d$/m);
    assert.match(out, /\[Inferior 1 \(process 4242\) killed\]/);
    assert.deepEqual(target.log, ['resume 4242:s', 'resume 4242:c', 'kill']);
    assert.equal(target.state, 'killed');
  });

  it('lists threads and mappings, watches memory, writes registers and memory, detaches', async function () {
    const target = new FakeTarget({
      pid: 4242,
      threads: [4242, 4243],
      program: program([
        [0x1008n, { op: 'store', address: 0x2010n, data: [1, 2, 3, 4] }],
        [0x1020n, { op: 'jump', to: CODE }],
      ]),
    });
    const { out, code } = await runGdb(target, [
      'info threads',
      'info proc mappings',
      'watch *(int*)0x2010',
      'continue',
      'info registers rip',
      'set var $rcx = 0x77',
      'p/x $rcx',
      'set {int}0x2000 = 0x12345678',
      'x/xw 0x2000',
      'p $fs_base',
      'p $orig_rax',
      'info auxv',
      'detach',
    ]);
    assert.equal(code, 0, out);
    assert.match(out, /^\* 1 +Thread 4242\.4242 "prog" +0x0000000000001000 in \?\? \(\)$/m);
    assert.match(out, /^ {2}2 +Thread 4242\.4243 "worker-4243" +0x0000000000001000 in \?\? \(\)$/m);
    assert.match(out, /^process 4242$/m);
    assert.match(out, /^\s+0x1000\s+0x2000\s+0x1000\s+0x0\s+r-xp\s+\/fake\/prog$/m);
    assert.match(out, /^\s+0x7ffffffde000\s+0x7ffffffff000\s+0x21000\s+0x0\s+rw-p\s+\[stack\]$/m);
    assert.match(out, /^Hardware watchpoint 1: \*\(int\*\)0x2010$/m);
    assert.match(out, /hit Hardware watchpoint 1: \*\(int\*\)0x2010\s+Old value = 0\s+New value = 67305985/);
    assert.match(out, /^rip\s+0x100c\s/m);
    assert.match(out, /^\$1 = 0x77$/m);
    assert.equal(target.reg(4242, REG.rcx), 0x77n);
    assert.match(out, /^0x2000:\s+0x12345678$/m);
    assert.match(out, /^\$2 = 10240$/m);
    assert.match(out, /^\$3 = -1$/m);
    assert.match(out, /AT_ENTRY\s+Entry point of program\s+0x1000/);
    assert.match(out, /\[Inferior 1 \(process 4242\) detached\]/);
    assert.equal(target.state, 'detached');
  });

  it('interrupts a running program on Ctrl-C and reports exit codes', async function () {
    const looping = new FakeTarget({ pid: 4242, program: program([[0x1020n, { op: 'jump', to: CODE }]]) });
    const a = await runGdb(looping, ['continue', 'info registers rip', 'kill'], { interruptWhenRunning: true });
    assert.match(a.out, /Program received signal SIGINT, Interrupt\./, a.out);
    assert.ok(looping.log.includes('interrupt'));
    assert.match(a.out, /\[Inferior 1 \(process 4242\) killed\]/);

    const exiting = new FakeTarget({ pid: 4242, program: program([[0x1008n, { op: 'exit', status: 3 }]]) });
    const b = await runGdb(exiting, ['continue']);
    assert.match(b.out, /\[Inferior 1 \(process 4242\) exited with code 03\]/, b.out);
  });

  it('loads the executable\'s symbols through vFile (sysroot target:)', async function () {
    const elfPath = fileURLToPath(new URL('../../../fixtures/build/nolibc/asm_hello', import.meta.url));
    requireFile(this, elfPath, 'npm run fixtures');
    const target = new FakeTarget({ pid: 4242, execPath: '/bin/hello', files: new Map([['/bin/hello', readFileSync(elfPath)]]) });
    const { out, code } = await runGdb(target, ['info symbol 0x401000', 'p &_start', 'kill']);
    assert.equal(code, 0, out);
    assert.match(out, /^Reading symbols from target:\/bin\/hello\.\.\.$/m, out);
    assert.match(out, /^_start in section \.text$/m);
    assert.match(out, /0x401000 <_start>/);
  });

  it('works in acknowledged mode without multiprocess', async function () {
    const target = new FakeTarget({ pid: 4242, program: program([[0x1020n, { op: 'jump', to: CODE }]]) });
    let acks = 0;
    const { out } = await runGdb(target, ['break *0x1010', 'continue', 'stepi', 'p $pc', 'kill'], {
      before: ['set remote noack-packet off'],
      stub: { multiprocess: false, log: (dir, p) => (acks += dir === '<-' && p === 'QStartNoAckMode' ? 1 : 0) },
    });
    assert.equal(acks, 0); // gdb never asked to leave ack mode
    assert.match(out, /^Breakpoint 1, 0x0000000000001010 in \?\? \(\)$/m, out);
    assert.match(out, /^\$1 = \(void \(\*\)\(\)\) 0x1014$/m);
  });
});
