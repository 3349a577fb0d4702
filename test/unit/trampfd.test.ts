// trampfd v2's code generator against an assembler: every slot of a full table, for every
// (code register, data register) pair the ABI allows, must be byte for byte what keystone
// assembles for the same instructions. Also the numbers and options plumbing.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  V2_CODE_OFFSET, V2_CODE_SIZE, V2_NTRAMPOLINES, V2_X64_MAX, V2_X64_MIN, V2_X64_NAMES, trampolinePage, trampolineSlot,
} from '../../kernel-shim/trampfd/v2code.js';
import { ALL_DEFINITIONS, buildTable } from '../../syscalls/table.js';
import { tableSetup } from '../../syscalls/trampfd.js';
import { RFC_NR_TRAMPFD, USHIM_NR_TRAMPFD, USHIM_NR_TRAMPFD_CREATE } from '../../syscalls/extra-numbers.js';
import { parseOptions } from '../../emu/options.js';

interface KeystoneResult {
  failed: boolean;
  mc: Uint8Array;
}
interface Keystone {
  option(type: number, value: number): void;
  asm(source: string): KeystoneResult;
  close(): void;
}
interface KeystoneModule {
  Keystone: new (arch: number, mode: number) => Keystone;
  ARCH_X86: number;
  MODE_64: number;
  OPT_SYNTAX: number;
  OPT_SYNTAX_INTEL: number;
}

// keystone.js is an Emscripten CommonJS module without types: load it with require() from ESM.
const require = createRequire(import.meta.url);
const MKeystone = require('@alexaltea/keystone-js') as () => Promise<KeystoneModule>;

const hex = (n: bigint | number): string => '0x' + n.toString(16); // keystone's Intel syntax reads bare numbers as hex

/**
 * The slot in assembly. keystone 0.9.2 knows no endbr64 and encodes `nop dword ptr [rax]` as
 * 0F 18 20 (a prefetch), so those two fixed sequences are given as bytes; everything that
 * depends on the registers and addresses is assembled.
 */
function slotSource(code: string, data: string, codeAddr: bigint, dataAddr: bigint, end: number): string {
  return [
    '.byte 0xf3, 0x0f, 0x1e, 0xfa', // endbr64
    `movabs ${code}, ${hex(codeAddr)}`,
    `mov ${code}, qword ptr [${code}]`,
    `movabs ${data}, ${hex(dataAddr)}`,
    `mov ${data}, qword ptr [${data}]`,
    `jmp ${code}`,
    '.byte 0x0f, 0x1f, 0x00', // nopl (%rax)
    `.org ${hex(end)}`, // zero padding to the next slot
  ].join('\n');
}

const CODE_TABLE = 0x4c7d40n;
const DATA_TABLE = 0x7ffff7a1b008n;

describe('trampfd v2 code generator', function () {
  this.timeout(120_000);
  let ks: Keystone;

  before(async () => {
    const m = await MKeystone();
    ks = new m.Keystone(m.ARCH_X86, m.MODE_64);
    ks.option(m.OPT_SYNTAX, m.OPT_SYNTAX_INTEL);
  });

  after(() => ks.close());

  it('has the RFC x86-64 geometry: 40-byte slots, 102 per page, code at offset 4096', () => {
    assert.equal(V2_CODE_SIZE, 40);
    assert.equal(V2_NTRAMPOLINES, 102);
    assert.equal(V2_CODE_OFFSET, 4096);
    assert.deepEqual([V2_X64_MIN, V2_X64_MAX], [7, 22]);
  });

  it('emits every slot of a full table exactly as keystone assembles it, for all 15 x 15 register pairs', () => {
    let pairs = 0;
    for (let c = V2_X64_MIN; c < V2_X64_MAX; c++) {
      for (let d = V2_X64_MIN; d < V2_X64_MAX; d++) {
        const page = trampolinePage(c, d, V2_NTRAMPOLINES, CODE_TABLE, DATA_TABLE);
        let source = '';
        for (let x = 0; x < V2_NTRAMPOLINES; x++) {
          const i = BigInt(8 * x);
          source += slotSource(V2_X64_NAMES[c - V2_X64_MIN], V2_X64_NAMES[d - V2_X64_MIN], CODE_TABLE + i, DATA_TABLE + i, V2_CODE_SIZE * (x + 1)) + '\n';
        }
        const r = ks.asm(source);
        assert.equal(r.failed, false, `keystone failed for ${V2_X64_NAMES[c - V2_X64_MIN]}/${V2_X64_NAMES[d - V2_X64_MIN]}`);
        const want = new Uint8Array(4096);
        want.set(r.mc);
        assert.equal(r.mc.length, V2_CODE_SIZE * V2_NTRAMPOLINES);
        for (let x = 0; x < V2_NTRAMPOLINES; x++) {
          const at = x * V2_CODE_SIZE;
          assert.deepEqual(
            Buffer.from(page.subarray(at, at + V2_CODE_SIZE)).toString('hex'),
            Buffer.from(want.subarray(at, at + V2_CODE_SIZE)).toString('hex'),
            `slot ${x}, code ${V2_X64_NAMES[c - V2_X64_MIN]}, data ${V2_X64_NAMES[d - V2_X64_MIN]}`,
          );
        }
        assert.ok(page.subarray(V2_CODE_SIZE * V2_NTRAMPOLINES).every((b) => b === 0), 'the rest of the page is zero');
        pairs++;
      }
    }
    assert.equal(pairs, 225);
  });

  it('corrects the RFC encodings for rbp, r12 and r13 (mod=00 would mean RIP-relative or SIB)', () => {
    const load = (id: number): string => Buffer.from(trampolineSlot(id, 7, 0n, 0n).subarray(14, 18)).toString('hex');
    assert.equal(load(13).slice(0, 8), '488b6d00'); // mov 0(%rbp),%rbp
    assert.equal(load(18).slice(0, 8), '4d8b2424'); // mov (%r12),%r12
    assert.equal(load(19).slice(0, 8), '4d8b6d00'); // mov 0(%r13),%r13
    assert.equal(load(17).slice(0, 6), '4d8b1b'); // mov (%r11),%r11: as in the RFC
  });

  it('fills only ntrampolines slots and rejects register ids outside 7..21', () => {
    const page = trampolinePage(17, 16, 3, CODE_TABLE, DATA_TABLE);
    assert.ok(page.subarray(3 * V2_CODE_SIZE).every((b) => b === 0));
    assert.throws(() => trampolineSlot(6, 16, 0n, 0n), RangeError);
    assert.throws(() => trampolineSlot(17, 22, 0n, 0n), RangeError);
  });
});

describe('trampfd numbers and options', () => {
  const v1 = ALL_DEFINITIONS.find((d) => d.name === 'trampfd_create');
  const v2 = ALL_DEFINITIONS.find((d) => d.name === 'trampfd');

  it('gives both ABIs numbers outside the upstream table, and leaves 440 to process_madvise', () => {
    const table = buildTable();
    assert.equal(USHIM_NR_TRAMPFD_CREATE, 1000);
    assert.equal(USHIM_NR_TRAMPFD, 1001);
    assert.equal(table.byNumber[1000], v1);
    assert.equal(table.byNumber[1001], v2);
    assert.equal(table.nameOf(1000), 'trampfd_create');
    assert.equal(table.nameOf(1001), 'trampfd');
    assert.equal(table.byNumber[RFC_NR_TRAMPFD], undefined);
    assert.equal(table.nameOf(RFC_NR_TRAMPFD), 'process_madvise');
  });

  it('--trampfd-440 routes 440 to v1 or v2; --trampfd=off removes both', () => {
    for (const [which, def, name] of [['v1', v1, 'trampfd_create'], ['v2', v2, 'trampfd']] as const) {
      const { defs, aliases } = tableSetup(ALL_DEFINITIONS, { trampfd440: which });
      const table = buildTable(defs, aliases);
      assert.equal(table.byNumber[440], def);
      assert.equal(table.nameOf(440), name);
      assert.equal(table.byNumber[1000], v1);
    }
    const { defs, aliases } = tableSetup(ALL_DEFINITIONS, { trampfd: 'off', trampfd440: 'v1' });
    const off = buildTable(defs, aliases);
    assert.equal(off.byNumber[1000], undefined);
    assert.equal(off.byNumber[1001], undefined);
    assert.equal(off.byNumber[440], undefined);
  });

  it('parses --wx, --trampfd and --trampfd-440', () => {
    const o = parseOptions(['--wx=strict', '--trampfd', 'off', '--trampfd-440=v2', 'prog']);
    assert.equal(o.wx, 'strict');
    assert.equal(o.trampfd, 'off');
    assert.equal(o.trampfd440, 'v2');
    const d = parseOptions(['prog']);
    assert.equal(d.wx, 'off');
    assert.equal(d.trampfd, 'on');
    assert.equal(d.trampfd440, undefined);
    assert.throws(() => parseOptions(['--wx=lax', 'prog']), /--wx takes off or strict/);
    assert.throws(() => parseOptions(['--trampfd-440=v3', 'prog']), /takes v1 or v2/);
  });
});
