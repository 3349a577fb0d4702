// What --strace and --stats say about trampolines and W^X (issue 4): each trampfd invocation
// (address, target), each W^X refusal, libffi's fallback path under --wx=strict, and the
// counters. The fixtures' behaviour itself is checked in fixtures.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES_BUILD, runUshim } from './harness.js';
import { requireFile } from '../host-requirements.js';

const bin = (name: string): string => path.join(FIXTURES_BUILD, 'glibc', name);

function traced(name: string, args: string[], ushimArgs: string[]): { trace: string; stderr: string; status: number | null } {
  const file = path.join(os.tmpdir(), `ushim-tramp-trace-${process.pid}-${name}.log`);
  try {
    const r = runUshim(bin(name), args, { ushimArgs: [...ushimArgs, `--strace=${file}`] });
    return { trace: fs.readFileSync(file, 'utf8'), stderr: r.stderr, status: r.status };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('trampolines: --strace and --stats', function () {
  this.timeout(120_000);

  before(function () {
    requireFile(this, bin('tramp_ffi_tfd'), 'npm run fixtures; needs libffi-dev');
  });

  it('--strace shows libffi falling back to a double-mapped memfd under --wx=strict', () => {
    const { trace, status } = traced('tramp_ffi', [], ['--wx=strict']);
    assert.equal(status, 0);
    assert.match(trace, /--- wx_refused \{call=mmap, addr=0x0, len=4096, prot=PROT_READ\|PROT_WRITE\|PROT_EXEC, reason="writable and executable at once"\} ---/);
    assert.match(trace, /mmap\(NULL, 4096, PROT_READ\|PROT_WRITE\|PROT_EXEC, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) += -1 EACCES/);
    assert.match(trace, /memfd_create\("libffi", MFD_CLOEXEC\) += \d+/);
    assert.match(trace, /mmap\(NULL, 4096, PROT_READ\|PROT_EXEC, MAP_SHARED, \d+, 0\) += 0x/);
    assert.match(trace, /mmap\(NULL, 4096, PROT_READ\|PROT_WRITE, MAP_SHARED, \d+, 0\) += 0x/);
  });

  it('--strace shows each trampfd invocation with its address and target', () => {
    const { trace, status } = traced('tramp_ffi_tfd', [], []);
    assert.equal(status, 0);
    assert.match(trace, /^trampfd\(\{ntrampolines=102, code_size=40, code_offset=4096, reserved=0\}\) += \d+$/m);
    assert.match(trace, /^trampfd_create\(TRAMPFD_USER, \{flags=0, reserved=0\}, 0\) += \d+$/m);
    const v2 = trace.match(/^--- trampfd_v2 \{addr=0x[0-9a-f]+, slot=\d+, target=0x[0-9a-f]+, data=0x[0-9a-f]+\} ---$/gm) ?? [];
    const v1 = trace.match(/^--- trampfd_v1 \{addr=0x[0-9a-f]+000, target=0x[0-9a-f]+\} ---$/gm) ?? [];
    assert.equal(v2.length, 2004); // 4 signatures + 2000 calls
    assert.equal(v1.length, 2004);
  });

  it('--strace shows refused v1 invocations', () => {
    const { trace } = traced('tramp_v1_call', [], []);
    assert.match(trace, /--- trampfd_v1 \{addr=0x[0-9a-f]+008, refused="not the invocation address 0x[0-9a-f]+000"\} ---/);
    assert.match(trace, /--- trampfd_v1 \{addr=0x[0-9a-f]+000, refused="no register context"\} ---/);
    assert.match(trace, /--- trampfd_v1 \{addr=0x[0-9a-f]+000, target=0x[0-9a-f]+, refused="stack push faulted"\} ---/);
  });

  it('--stats counts invocations per kind, W^X refusals and code-cache invalidations', () => {
    const r = runUshim(bin('tramp_ffi_tfd'), [], { ushimArgs: ['--stats'] });
    assert.equal(r.status, 0);
    assert.match(r.stderr, /trampolines: trampfd_v1 2004 \(refused 0, fds 4\), trampfd_v2 2004 \(tables 1, fds 1\)/);
    assert.match(r.stderr, /code cache: code frames rewritten by the kernel \d+, TB removals \d+, full flushes \d+, TLB flushes \d+/);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-wx-'));
    try {
      const wx = runUshim(bin('tramp_wx'), [scratch], { ushimArgs: ['--stats', '--wx=strict'] });
      assert.equal(wx.status, 0);
      assert.match(wx.stderr, /wx strict: refusals 13/);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    const jit = runUshim(bin('tramp_jit'), [fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-jit-'))], { ushimArgs: ['--stats'] });
    const rewritten = Number(/code frames rewritten by the kernel (\d+)/.exec(jit.stderr)?.[1]);
    assert.ok(rewritten > 0, 'the JIT fixture rewrites code through read() and pwrite()');
  });
});
