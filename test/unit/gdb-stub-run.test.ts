// The gdb stub's execution control against the fake target: stepping, breakpoints,
// watchpoints, interrupts, signals, exit, exec and fork events.
import { strict as assert } from 'node:assert';
import { REG } from '../../emu/debug/target.js';
import { CODE } from './gdb-fake-target.js';
import { program, client, le64 } from './gdb-client.js';

describe('gdb stub', function () {
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
});
