import assert from 'node:assert/strict';
import * as L from '../../loader/index.js';
import type { InitialStack, StackInput } from '../../loader/index.js';

const STACK_TOP = 0x7ffffffff000;
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** The auxv a kernel passes for a static binary, in Linux's order. */
const LINUX_AUXV: StackInput['auxv'] = [
  [L.AT_SYSINFO_EHDR, 0x7ffff7fc1000],
  [L.AT_MINSIGSTKSZ, 2048],
  [L.AT_HWCAP, 0x178bfbff],
  [L.AT_PAGESZ, 4096],
  [L.AT_CLKTCK, 100],
  [L.AT_PHDR, 0x400040],
  [L.AT_PHENT, 56],
  [L.AT_PHNUM, 10],
  [L.AT_BASE, 0],
  [L.AT_FLAGS, 0],
  [L.AT_ENTRY, 0x401000],
  [L.AT_UID, 1000],
  [L.AT_EUID, 1000],
  [L.AT_GID, 1000],
  [L.AT_EGID, 1000],
  [L.AT_SECURE, 0],
  [L.AT_HWCAP2, 2],
  [L.AT_RSEQ_FEATURE_SIZE, 28],
  [L.AT_RSEQ_ALIGN, 32],
];

function build(over: Partial<StackInput> = {}): InitialStack {
  return L.buildInitialStack({
    stackTop: STACK_TOP,
    argv: ['/bin/prog', 'one'],
    envp: ['HOME=/root', 'PATH=/bin'],
    execfn: '/bin/prog',
    platform: 'x86_64',
    random: RANDOM,
    auxv: LINUX_AUXV,
    ...over,
  });
}

/** Reads the built stack back the way a libc would, by address. */
function reader(stack: InitialStack) {
  const view = new DataView(stack.bytes.buffer, stack.bytes.byteOffset, stack.bytes.byteLength);
  const word = (addr: number): number => Number(view.getBigUint64(addr - stack.sp, true));
  const cString = (addr: number): string => {
    const from = addr - stack.sp;
    return new TextDecoder().decode(stack.bytes.subarray(from, stack.bytes.indexOf(0, from)));
  };
  const vector = (addr: number): number[] => {
    const out: number[] = [];
    for (let a = addr; word(a) !== 0; a += 8) out.push(word(a));
    return out;
  };
  const auxv = (): Array<[number, bigint]> => {
    const out: Array<[number, bigint]> = [];
    for (let a = stack.auxvAddr; ; a += 16) {
      out.push([word(a), view.getBigUint64(a + 8 - stack.sp, true)]);
      if (word(a) === L.AT_NULL) return out;
    }
  };
  return { word, cString, vector, auxv };
}

describe('loader: buildInitialStack', () => {
  it('covers exactly [sp, stackTop) with sp 16-byte aligned at argc', () => {
    const stack = build();
    assert.equal(stack.sp % 16, 0);
    assert.equal(stack.bytes.length, STACK_TOP - stack.sp);
    assert.equal(reader(stack).word(stack.sp), 2);
    assert.equal(stack.argvAddr, stack.sp + 8);
  });

  for (const argc of [0, 1, 2, 3]) {
    for (const envc of [0, 1, 2, 3]) {
      it(`lays out argc=${argc} envc=${envc}`, () => {
        const argv = Array.from({ length: argc }, (_, i) => `arg${'x'.repeat(i)}${i}`);
        const envp = Array.from({ length: envc }, (_, i) => `VAR${i}=${'v'.repeat(i * 3)}`);
        const stack = build({ argv, envp });
        const r = reader(stack);
        assert.equal(stack.sp % 16, 0);
        assert.equal(r.word(stack.sp), argc);
        assert.deepEqual(r.vector(stack.argvAddr).map(r.cString), argv);
        assert.equal(stack.envpAddr, stack.argvAddr + 8 * (argc + 1));
        assert.deepEqual(r.vector(stack.envpAddr).map(r.cString), envp);
        assert.equal(stack.auxvAddr, stack.envpAddr + 8 * (envc + 1));
      });
    }
  }

  it('places strings at the top, as Linux does', () => {
    const stack = build();
    const r = reader(stack);
    assert.deepEqual([...stack.bytes.subarray(-8)], [0, 0, 0, 0, 0, 0, 0, 0], 'NULL end marker');
    assert.equal(stack.execfnAddr, STACK_TOP - 8 - '/bin/prog\0'.length);
    assert.equal(r.cString(stack.execfnAddr), '/bin/prog');
    assert.equal(stack.envEnd, stack.execfnAddr);
    assert.equal(stack.argEnd, stack.envStart);
    const text = (from: number, to: number) => new TextDecoder().decode(stack.bytes.subarray(from - stack.sp, to - stack.sp));
    assert.equal(text(stack.argStart, stack.argEnd), '/bin/prog\0one\0');
    assert.equal(text(stack.envStart, stack.envEnd), 'HOME=/root\0PATH=/bin\0');
    assert.ok(stack.platformAddr + 'x86_64\0'.length <= stack.argStart);
    assert.ok(stack.randomAddr + 16 <= stack.platformAddr);
    assert.ok(stack.auxvAddr + stack.auxvSize <= stack.randomAddr);
  });

  it('emits auxv in Linux order, ending with AT_NULL', () => {
    const stack = build();
    const types = reader(stack).auxv().map(([type]) => type);
    assert.deepEqual(types, [
      L.AT_SYSINFO_EHDR, L.AT_MINSIGSTKSZ, L.AT_HWCAP, L.AT_PAGESZ, L.AT_CLKTCK, L.AT_PHDR, L.AT_PHENT,
      L.AT_PHNUM, L.AT_BASE, L.AT_FLAGS, L.AT_ENTRY, L.AT_UID, L.AT_EUID, L.AT_GID, L.AT_EGID,
      L.AT_SECURE, L.AT_RANDOM, L.AT_HWCAP2, L.AT_EXECFN, L.AT_PLATFORM,
      L.AT_RSEQ_FEATURE_SIZE, L.AT_RSEQ_ALIGN, L.AT_NULL,
    ]);
    assert.equal(stack.auxvSize, types.length * 16);
    assert.deepEqual(reader(stack).auxv().at(-1), [L.AT_NULL, 0n]);
  });

  it('points AT_RANDOM, AT_EXECFN and AT_PLATFORM at their data', () => {
    const stack = build();
    const r = reader(stack);
    const aux = new Map(r.auxv());
    assert.equal(aux.get(L.AT_RANDOM), BigInt(stack.randomAddr));
    const at = stack.randomAddr - stack.sp;
    assert.deepEqual(stack.bytes.subarray(at, at + 16), RANDOM);
    assert.equal(r.cString(Number(aux.get(L.AT_EXECFN))), '/bin/prog');
    assert.equal(r.cString(Number(aux.get(L.AT_PLATFORM))), 'x86_64');
    assert.equal(stack.platformAddr, Number(aux.get(L.AT_PLATFORM)));
  });

  it('adds its entries at the end when the caller gives no anchors', () => {
    const stack = build({ auxv: [[L.AT_PAGESZ, 4096]] });
    assert.deepEqual(
      reader(stack).auxv().map(([type]) => type),
      [L.AT_PAGESZ, L.AT_RANDOM, L.AT_EXECFN, L.AT_PLATFORM, L.AT_NULL],
    );
  });

  it('writes full 64-bit values', () => {
    const stack = build({ auxv: [[L.AT_HWCAP2, 0xfedcba9876543210n], [L.AT_SYSINFO_EHDR, 0x7ffff7fc1000]] });
    const aux = new Map(reader(stack).auxv());
    assert.equal(aux.get(L.AT_HWCAP2), 0xfedcba9876543210n);
    assert.equal(aux.get(L.AT_SYSINFO_EHDR), 0x7ffff7fc1000n);
  });

  it('copies byte-string arguments verbatim', () => {
    const raw = Uint8Array.of(0xff, 0xfe, 0x41);
    const stack = build({ argv: ['prog', raw] });
    const r = reader(stack);
    const at = r.vector(stack.argvAddr)[1] - stack.sp;
    assert.deepEqual([...stack.bytes.subarray(at, at + 4)], [0xff, 0xfe, 0x41, 0]);
  });

  it('rejects bad input', () => {
    assert.throws(() => build({ random: new Uint8Array(8) }), RangeError);
    assert.throws(() => build({ auxv: [[L.AT_RANDOM, 0]] }), RangeError);
    assert.throws(() => build({ auxv: [[L.AT_NULL, 0]] }), RangeError);
  });
});
