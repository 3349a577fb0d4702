// --trace on guests built at test time: an assembly program (exact lines) and a static
// glibc program (symbols, direct call targets), each limited with --trace-range.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSymbols } from '../../loader/index.js';
import { UsageError, parseOptions } from '../../emu/options.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const srcDir = join(root, 'test', 'trace', 'src');
const ushim = join(root, 'bin', 'ushim');

function build(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const cc = spawn('gcc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    cc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    cc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gcc ${args.join(' ')}: ${err}`))));
  });
}

function run(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [ushim, ...args], { encoding: 'utf8', timeout: 30000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function symbol(program: string, name: string): { start: number; end: number } {
  const s = readSymbols(readFileSync(program)).find((x) => x.name === name);
  assert.ok(s !== undefined, `${name} in ${program}`);
  return { start: s.value, end: s.value + s.size };
}

const hex = (n: number): string => n.toString(16);

describe('--trace', function () {
  this.timeout(30000);
  let dir: string;
  let loop: string;
  let hello: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ushim-trace-'));
    loop = join(dir, 'loop');
    hello = join(dir, 'hello');
    await Promise.all([
      build(['-nostdlib', '-static', '-o', loop, join(srcDir, 'loop.S')]),
      build(['-static', '-O1', '-o', hello, join(srcDir, 'hello.c')]),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('insn: every instruction, disassembled, with its symbol', () => {
    const start = symbol(loop, '_start').start;
    const work = symbol(loop, 'work').start;
    const r = run(['--trace=insn', loop]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'hi\n');
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 8), [
      `0x${hex(start)} <_start>: mov eax, 1`,
      `0x${hex(start + 5)} <_start+0x5>: mov edi, 1`,
      `0x${hex(start + 10)} <_start+0xa>: lea rsi, [rip + 0x${hex(symbolAddress(loop, 'msg') - (start + 17))}]`,
      `0x${hex(start + 17)} <_start+0x11>: mov edx, 3`,
      `0x${hex(start + 22)} <_start+0x16>: syscall`,
      `0x${hex(start + 24)} <_start+0x18>: mov ecx, 3`,
      `0x${hex(start + 29)} <_start+0x1d>: call 0x${hex(work)} <work>`,
      `0x${hex(work)} <work>: add r8, 2`,
    ]);
    // 6 before the loop, 3 x (call, add, ret, dec, jne), 3 to exit.
    assert.equal(lines.length, 6 + 3 * 5 + 3);
    assert.equal(lines.filter((l) => l.endsWith('<work>: add r8, 2')).length, 3);
    assert.equal(lines[lines.length - 1], `0x${hex(start + 45)} <_start+0x2d>: syscall`);
  });

  it('insn,regs: the registers each instruction changed', () => {
    const lines = run(['--trace=insn,regs', loop]).stderr.split('\n');
    const after = (insn: string, n = 0): string => lines[lines.findIndex((l, i) => l.endsWith(insn) && i >= n) + 1];
    assert.equal(after(': mov eax, 1'), '    rax=0x1');
    assert.equal(after(': mov edx, 3'), '    rdx=0x3');
    // The syscall: its result (3 bytes written) and what `syscall` puts in rcx and r11.
    assert.match(after('<_start+0x16>: syscall'), /^ {4}rax=0x3 rcx=0x[0-9a-f]+ r11=0x[0-9a-f]+$/);
    assert.equal(after('<work>: add r8, 2'), '    r8=0x2');
    assert.match(after('call 0x' + hex(symbol(loop, 'work').start) + ' <work>'), /^ {4}rsp=0x[0-9a-f]+$/);
  });

  it('--trace-range limits it to a range, --trace-file sends it to a file', () => {
    const work = symbol(loop, 'work');
    const file = join(dir, 'trace.txt');
    const r = run(['--trace=insn', `--trace-range=${hex(work.start)}-${hex(work.end)}`, '--trace-file', file, loop]);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines, Array(3).fill([`0x${hex(work.start)} <work>: add r8, 2`, `0x${hex(work.start + 4)} <work+0x4>: ret`]).flat());
  });

  it('block: one line per block executed', () => {
    const work = symbol(loop, 'work').start;
    const start = symbol(loop, '_start').start;
    const lines = run(['--trace=block', loop]).stderr.trimEnd().split('\n');
    assert.equal(lines[0], `block 0x${hex(start)} <_start>: 5 insns, 24 bytes`);
    assert.equal(lines.filter((l) => l === `block 0x${hex(work)} <work>: 2 insns, 5 bytes`).length, 3);
    const ranged = run(['--trace=block', `--trace-range=0x${hex(work)}-0x${hex(work + 1)}`, loop]).stderr.trimEnd().split('\n');
    assert.deepEqual(ranged, Array(3).fill(`block 0x${hex(work)} <work>: 2 insns, 5 bytes`));
  });

  it('a static glibc program: main only, with call targets named', () => {
    const main = symbol(hello, 'main');
    const r = run(['--trace=insn', `--trace-range=${hex(main.start)}-${hex(main.end)}`, hello]);
    assert.equal(r.stdout, 'hello\n');
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.length >= 3 && lines.length < 12, r.stderr);
    for (const l of lines) assert.match(l, /^0x[0-9a-f]+ <main(\+0x[0-9a-f]+)?>: /);
    assert.ok(lines.some((l) => /: call 0x[0-9a-f]+ <(_IO_)?puts>$/.test(l)), r.stderr);
    assert.ok(lines[lines.length - 1].endsWith(': ret'));
  });

  it('is off unless asked for, and refuses bad options', () => {
    const r = run([loop]);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, '');
    assert.deepEqual(parseOptions(['--trace=insn,regs', '--trace-range', '0x10-0x20', '--trace-range=30-40', 'p']).traceRanges, [
      { start: 0x10, end: 0x20 },
      { start: 0x30, end: 0x40 },
    ]);
    assert.deepEqual(parseOptions(['--trace=regs', 'p']).trace, { insn: true, regs: true, block: false });
    assert.throws(() => parseOptions(['--trace=everything', 'p']), UsageError);
    assert.throws(() => parseOptions(['--trace=insn', '--trace-range=20-10', 'p']), UsageError);
    assert.throws(() => parseOptions(['--trace-range=10-20', 'p']), /need --trace/);
    assert.throws(() => parseOptions(['--trace-file=x', 'p']), /need --trace/);
  });
});

function symbolAddress(program: string, name: string): number {
  // msg is a local NOTYPE label: read it from nm.
  const out = spawnSync('nm', [program], { encoding: 'utf8' }).stdout;
  const m = new RegExp(`^([0-9a-f]+) \\w ${name}$`, 'm').exec(out);
  assert.ok(m !== null, `${name} in nm output`);
  return parseInt(m[1], 16);
}
