// Debian's gdb against `ushim --gdb` / `--gdb-on-crash` running real guest programs. The C
// fixtures in test/gdb/src are built at test time (gcc -g -O0 -static) into a temporary
// directory; each test drives one gdb in batch mode and checks what it prints, plus what the
// guest printed and ushim's exit status.
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { framePacket, PacketParser } from '../../emu/debug/packet.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const srcDir = join(root, 'test', 'gdb', 'src');
const ushim = join(root, 'bin', 'ushim');

const FIXTURES: Record<string, string[]> = {
  basic: [],
  threads: ['-pthread'],
  signals: [],
  execfork: [],
  spin: [],
};

interface Ushim {
  child: ChildProcess;
  /** What gdb's `target remote` takes: HOST:PORT or a socket path. */
  address: string;
  stdout: () => string;
  stderr: () => string;
  /** The exit status, or the name of the signal that killed ushim (as it killed the guest). */
  status: Promise<number | NodeJS.Signals | null>;
}

function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function lineOf(file: string, marker: string): number {
  const lines = readFileSync(join(srcDir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `${marker} not in ${file}`);
  return i + 1;
}

function compile(name: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cc = spawn('gcc', ['-g', '-O0', '-static', ...FIXTURES[name], '-o', out, join(srcDir, `${name}.c`)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    cc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    cc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gcc ${name}.c failed: ${err}`))));
  });
}

/** Starts ushim with args and waits until it says where gdb should connect. */
function startUshim(args: string[], timeoutMs = 30000): Promise<Ushim> {
  const child = spawn(process.execPath, [ushim, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const status = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ushim did not wait for gdb; stderr: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /waiting for gdb on (\S+)/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, address: m[1], stdout: () => out, stderr: () => err, status });
      }
    });
    void status.then(() => {
      clearTimeout(timer);
      reject(new Error(`ushim exited before waiting for gdb; stderr: ${err}`));
    });
  });
}

/** Runs gdb in batch mode against the ushim at address; returns everything it printed. */
function runGdb(program: string, address: string, commands: string[], pre: string[] = [], timeoutMs = 60000): Promise<string> {
  const args = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off', ...pre.flatMap((c) => ['-ex', c])];
  args.push('-ex', `target remote ${address}`, ...commands.flatMap((c) => ['-ex', c]), program);
  const gdb = spawn('gdb', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  gdb.stdout.on('data', (d: Buffer) => (text += d.toString()));
  gdb.stderr.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => gdb.kill('SIGKILL'), timeoutMs);
    gdb.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

async function exitStatus(u: Ushim, timeoutMs = 20000): Promise<number | NodeJS.Signals | null | 'timed out'> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    u.child.kill('SIGKILL');
  }, timeoutMs);
  const code = await u.status;
  clearTimeout(timer);
  return timedOut ? 'timed out' : code;
}

describe('gdb against ushim --gdb (real gdb, real guest programs)', function () {
  this.timeout(90000);
  let dir = '';
  const exe: Record<string, string> = {};

  before(async function () {
    if (!hasTool('gdb') || !hasTool('gcc')) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'ushim-gdb-'));
    await Promise.all(
      Object.keys(FIXTURES).map(async (name) => {
        exe[name] = join(dir, name);
        await compile(name, exe[name]);
      }),
    );
  });

  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('stops at a breakpoint on the right source line; registers, print, bt, finish, next, step', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.basic, '5']);
    const out = await runGdb(exe.basic, u.address, [
      'break add',
      'continue',
      'info registers rip rsp',
      'p $sp',
      'bt',
      'p a',
      'p b',
      'finish',
      'next',
      'next',
      'next',
      'step',
      'info proc mappings',
      'kill',
    ]);
    const bp = /Breakpoint 1 at (0x[0-9a-f]+): file .*basic\.c, line (\d+)\./.exec(out);
    assert.ok(bp, out);
    assert.equal(Number(bp[2]), lineOf('basic.c', 'LINE_ADD'));
    assert.match(out, new RegExp(`Breakpoint 1, add \\(a=0, b=0\\) at .*basic\\.c:${lineOf('basic.c', 'LINE_ADD')}\\n`));
    // rip is the breakpoint address itself (no int3 was executed), rsp what $sp says.
    const rip = /^rip\s+(0x[0-9a-f]+)\s/m.exec(out);
    assert.ok(rip, out);
    assert.equal(BigInt(rip[1]), BigInt(bp[1]));
    const rsp = /^rsp\s+(0x[0-9a-f]+)\s/m.exec(out);
    const sp = /\$1 = \(void \*\) (0x[0-9a-f]+)/.exec(out);
    assert.ok(rsp && sp, out);
    assert.equal(BigInt(rsp[1]), BigInt(sp[1]));
    assert.match(out, /#0 {2}add \(a=0, b=0\) at .*basic\.c:\d+\n#1 {2}0x[0-9a-f]+ in compute \(n=5\) at .*basic\.c:\d+\n#2 {2}0x[0-9a-f]+ in main \(argc=2, argv=0x[0-9a-f]+\) at .*basic\.c:\d+/);
    assert.match(out, /\$2 = 0\n\$3 = 0\n/);
    // finish: back in compute, mid-line of the call, with add's return value.
    assert.match(out, new RegExp(`in compute \\(n=5\\) at .*basic\\.c:${lineOf('basic.c', 'LINE_CALL')}\\n[^]*Value returned is \\$4 = 0\\n`));
    // next: counter++, the loop header, the call; step: into add with the second iteration.
    const afterFinish = out.slice(out.indexOf('Value returned'));
    const lines = [...afterFinish.matchAll(/^(\d+)\t/gm)].map((m) => Number(m[1]));
    assert.deepEqual(lines.slice(0, 3), [lineOf('basic.c', 'LINE_COUNTER'), lineOf('basic.c', 'LINE_FOR'), lineOf('basic.c', 'LINE_CALL')], out);
    assert.match(afterFinish, new RegExp(`add \\(a=0, b=1\\) at .*basic\\.c:${lineOf('basic.c', 'LINE_ADD')}\\n`));
    assert.match(out, /0x401000 +0x[0-9a-f]+ +0x[0-9a-f]+ +0x1000 +r-xp +\S*basic\n/, 'info proc mappings');
    assert.match(out, /\[Inferior 1 \(process \d+\) killed\]/);
    assert.equal(await exitStatus(u), 'SIGKILL');
  });

  it('a watchpoint stops after the writing instruction with the old and new values', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.basic, '4']);
    const out = await runGdb(exe.basic, u.address, ['break compute', 'continue', 'watch counter', 'continue', 'continue', 'delete', 'continue']);
    assert.match(out, /Hardware watchpoint 2: counter\n\nOld value = 0\nNew value = 1\n/, out);
    assert.match(out, /Old value = 1\nNew value = 2\n/, out);
    // The store was `counter++`; the stop is at the next statement (the loop increment).
    assert.match(out, new RegExp(`New value = 1\\ncompute \\(n=4\\) at .*basic\\.c:${lineOf('basic.c', 'LINE_FOR')}\\n`), out);
    assert.match(out, /\[Inferior 1 \(process \d+\) exited with code 03\]/);
    assert.equal(await exitStatus(u), 3);
    assert.equal(u.stdout(), 'result=6 counter=4\n');
  });

  it('lists 4 threads and backtraces all of them', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.threads]);
    const out = await runGdb(exe.threads, u.address, ['break all_ready', 'continue', 'info threads', 'thread apply all bt', 'thread 3', 'bt 3', 'continue']);
    assert.match(out, /hit Breakpoint 1, all_ready \(\) at .*threads\.c:\d+/, out);
    const ids = [...out.matchAll(/^[* ] (\d) +Thread \d+\.\d+ "threads" /gm)].map((m) => Number(m[1]));
    assert.deepEqual(ids, [1, 2, 3, 4], out);
    const backtraces = out.split(/\nThread \d \(Thread /).slice(1);
    assert.equal(backtraces.length, 4, out);
    assert.equal(backtraces.filter((b) => /in worker_wait \(id=\d\) at .*threads\.c:\d+\n#\d+ +0x[0-9a-f]+ in worker \(arg=0x\d\)/.test(b)).length, 3, out);
    assert.equal(backtraces.filter((b) => /#0 {2}all_ready \(\) at .*\n#1 {2}0x[0-9a-f]+ in main \(\)/.test(b)).length, 1, out);
    assert.match(out, /\[Switching to thread 3 /);
    assert.match(out, /\[Inferior 1 \(process \d+\) exited normally\]/);
    assert.equal(await exitStatus(u), 0);
    assert.equal(u.stdout(), 'joined sum=3\n');
  });

  it('--gdb-on-crash stops at the instruction that faulted with SIGSEGV', async () => {
    const u = await startUshim(['--gdb-on-crash', '127.0.0.1:0', exe.basic, '3', 's']);
    assert.match(u.stderr(), /got signal 11 \(Segmentation fault\)/);
    const out = await runGdb(exe.basic, u.address, [
      'info program',
      'info registers rip',
      'x/i $pc',
      'bt',
      'p $_siginfo.si_signo',
      'p $_siginfo._sifields._sigfault.si_addr',
      'continue',
    ]);
    assert.match(out, new RegExp(`in main \\(argc=3, argv=0x[0-9a-f]+\\) at .*basic\\.c:${lineOf('basic.c', 'LINE_CRASH')}\\n`), out);
    assert.match(out, /It stopped with signal SIGSEGV, Segmentation fault\./);
    const rip = /^rip\s+(0x[0-9a-f]+)\s/m.exec(out);
    const pc = /=> (0x[0-9a-f]+) <main\+\d+>:\tmovl +\$0x1,\(%rax\)/.exec(out);
    assert.ok(rip && pc, out);
    assert.equal(rip[1], pc[1]);
    assert.match(out, /\$1 = 11\n\$2 = \(void \*\) 0x0\n/, 'siginfo');
    assert.match(out, /Program terminated with signal SIGSEGV, Segmentation fault\./);
    assert.equal(await exitStatus(u), 'SIGSEGV');
  });

  it('detach lets the program run to completion with its exit status (unix socket)', async () => {
    const sock = join(dir, 'gdb.sock');
    const u = await startUshim(['--gdb', `unix:${sock}`, exe.basic, '3']);
    assert.equal(u.address, sock);
    const out = await runGdb(exe.basic, sock, ['break compute', 'continue', 'p n', 'set var counter = 40', 'detach']);
    assert.match(out, /Breakpoint 1, compute \(n=3\)/, out);
    assert.match(out, /\$1 = 3\n/);
    assert.match(out, /\[Inferior 1 \(process \d+\) detached\]/);
    assert.equal(await exitStatus(u), 3);
    assert.equal(u.stdout(), 'result=3 counter=43\n');
  });

  it('writes registers, and read-only code like ptrace POKE (the new code runs; the file is untouched)', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.basic, '5']);
    const out = await runGdb(exe.basic, u.address, [
      'break add',
      'continue',
      'delete',
      'finish',
      'p/x $cs',
      'p/x $ss',
      'p $fs_base != 0',
      'p $orig_rax',
      'set $r12 = 0x1234',
      'p/x $r12',
      'set $xmm1.v4_int32[0] = 7',
      'p $xmm1.v4_int32[0]',
      // add() becomes `xor %eax,%eax; ret` after it already ran (and was translated) once.
      'set {unsigned char[3]}add = {0x31, 0xc0, 0xc3}',
      'x/2i add',
      'continue',
    ]);
    assert.match(out, /\$2 = 0x33\n\$3 = 0x2b\n\$4 = 1\n\$5 = -1\n\$6 = 0x1234\n\$7 = 7\n/, out);
    assert.match(out, /<add>:\txor +%eax,%eax\n.*<add\+2>:\tret/);
    assert.equal(await exitStatus(u), 3);
    assert.equal(u.stdout(), 'result=0 counter=5\n');
    const native = spawnSync(exe.basic, ['5'], { encoding: 'utf8' });
    assert.equal(native.stdout, 'result=10 counter=5\n');
  });

  it('a caught signal stops in gdb first; continue passes it, signal 0 discards it', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.signals]);
    const out = await runGdb(exe.signals, u.address, ['continue', 'bt 3', 'continue', 'signal 0']);
    const stops = out.match(/Program received signal SIGUSR1, User defined signal 1\./g) ?? [];
    assert.equal(stops.length, 2, out);
    assert.match(out, /in raise \(\)/);
    assert.match(out, /\[Inferior 1 \(process \d+\) exited with code 01\]/);
    assert.equal(await exitStatus(u), 1);
    assert.equal(u.stdout(), 'hits=10\n');
  });

  // Known gap: since clone ends its creator's time slice, the parent's stop before the fork
  // is no longer reported in this order (closing notes).
  it('follows the parent over fork and re-resolves breakpoints after exec', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.execfork]);
    const out = await runGdb(exe.execfork, u.address, ['break shared_fn', 'continue', 'continue', 'p x', 'continue'], ['set sysroot /']);
    // The child's call (x=21) never stops: only the parent's and the new image's do.
    assert.match(out, /Breakpoint 1, shared_fn \(x=1\) at .*execfork\.c:\d+/, out);
    assert.match(out, /process \d+ is executing new program: .*execfork\n/);
    assert.match(out, /Breakpoint 1, shared_fn \(x=2\) at .*execfork\.c:\d+/);
    assert.doesNotMatch(out, /x=21/);
    assert.match(out, /\[Inferior 1 \(process \d+\) exited with code 04\]/);
    assert.equal(await exitStatus(u), 4);
    assert.equal(u.stdout(), 'child 42\nparent 2 child 7\nsecond image again 4\n');
  });

  it('Ctrl-C (0x03) stops a program spinning without syscalls', async () => {
    const u = await startUshim(['--gdb', '127.0.0.1:0', exe.spin]);
    const [host, port] = [u.address.slice(0, u.address.lastIndexOf(':')), Number(u.address.slice(u.address.lastIndexOf(':') + 1))];
    const sock = net.connect(port, host);
    const parser = new PacketParser({ decodeRle: true });
    const replies: string[] = [];
    let wake: (() => void) | null = null;
    sock.on('data', (d: Buffer) => {
      for (const ev of parser.feed(d)) if (ev.type === 'packet') replies.push(ev.payload.toString('latin1'));
      wake?.();
    });
    const reply = async (): Promise<string> => {
      const deadline = Date.now() + 20000;
      while (replies.length === 0) {
        if (Date.now() > deadline) throw new Error('no reply');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
      return replies.shift()!;
    };
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write(framePacket('?'));
    assert.match(await reply(), /^T05/);
    sock.write(framePacket('vCont;c'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    sock.write(Buffer.from([0x03]));
    assert.match(await reply(), /^T02/);
    sock.write(framePacket('m' + '0,0'));
    assert.equal(await reply(), '');
    sock.write(framePacket('k'));
    assert.equal(await exitStatus(u), 'SIGKILL');
    sock.destroy();
  });
});
