import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LoadError, PROT_EXEC, PROT_READ, PROT_WRITE, imageSpan, planImage, readSymbols } from '../../loader/index.js';

const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PT_TLS = 7;
const PT_GNU_STACK = 0x6474e551;
const PT_GNU_PROPERTY = 0x6474e553;
const R = 4;
const W = 2;
const X = 1;

interface Phdr {
  type: number;
  flags?: number;
  offset?: number;
  vaddr?: number;
  filesz?: number;
  memsz?: number;
  align?: number;
}

interface ElfSpec {
  phdrs: Phdr[];
  type?: number;
  machine?: number;
  entry?: number;
  elfClass?: number;
  data?: number;
  phentsize?: number;
  /** Cut the file to this many bytes (default: just big enough for every header and segment). */
  size?: number;
  /** Bytes to place at a file offset (PT_INTERP strings). */
  content?: Array<[offset: number, bytes: Uint8Array]>;
}

function makeElf(spec: ElfSpec): Uint8Array {
  const ends = spec.phdrs.map((p) => (p.offset ?? 0) + (p.filesz ?? 0));
  const natural = Math.max(64 + spec.phdrs.length * 56, ...ends);
  const bytes = new Uint8Array(Math.max(natural, spec.size ?? 0));
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 2, spec.data ?? 1, 1]);
  v.setUint16(16, spec.type ?? 2, true);
  v.setUint16(18, spec.machine ?? 62, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(spec.entry ?? 0x401000), true);
  v.setBigUint64(32, 64n, true);
  v.setUint16(52, 64, true);
  v.setUint16(54, spec.phentsize ?? 56, true);
  v.setUint16(56, spec.phdrs.length, true);
  spec.phdrs.forEach((p, i) => {
    const at = 64 + i * 56;
    v.setUint32(at, p.type, true);
    v.setUint32(at + 4, p.flags ?? R, true);
    v.setBigUint64(at + 8, BigInt(p.offset ?? 0), true);
    v.setBigUint64(at + 16, BigInt(p.vaddr ?? 0), true);
    v.setBigUint64(at + 24, BigInt(p.vaddr ?? 0), true);
    v.setBigUint64(at + 32, BigInt(p.filesz ?? 0), true);
    v.setBigUint64(at + 40, BigInt(p.memsz ?? p.filesz ?? 0), true);
    v.setBigUint64(at + 48, BigInt(p.align ?? 0x1000), true);
  });
  for (const [offset, data] of spec.content ?? []) bytes.set(data, offset);
  return bytes.subarray(0, spec.size ?? natural);
}

/** A static non-PIE layout: headers, text, and a data segment with .bss. */
const EXEC_LOADS: Phdr[] = [
  { type: PT_LOAD, flags: R, offset: 0, vaddr: 0x400000, filesz: 0x200 },
  { type: PT_LOAD, flags: R | X, offset: 0x1000, vaddr: 0x401000, filesz: 0x100 },
  { type: PT_LOAD, flags: R | W, offset: 0x1f10, vaddr: 0x403f10, filesz: 0x100, memsz: 0x2000 },
];

/** A PIE/static-pie layout linked at 0, with PT_PHDR. */
const DYN_PHDRS: Phdr[] = [
  { type: PT_PHDR, offset: 64, vaddr: 64, filesz: 5 * 56 },
  { type: PT_LOAD, flags: R, offset: 0, vaddr: 0, filesz: 0x400 },
  { type: PT_LOAD, flags: R | X, offset: 0x1000, vaddr: 0x1000, filesz: 0x300 },
  { type: PT_LOAD, flags: R | W, offset: 0x2e00, vaddr: 0x3e00, filesz: 0x200, memsz: 0x1300 },
  { type: PT_TLS, offset: 0x2e00, vaddr: 0x3e00, filesz: 0x10, memsz: 0x28, align: 8 },
];

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function assertNoexec(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LoadError, `expected LoadError, got ${String(e)}`);
    assert.equal(e.errno, 8);
    assert.equal(e.status, 126);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

describe('loader: planImage', () => {
  it('plans a static ET_EXEC at its link address', () => {
    const image = planImage(makeElf({ phdrs: EXEC_LOADS }), { bias: 0x10000 });
    assert.equal(image.type, 'exec');
    assert.equal(image.bias, 0);
    assert.equal(image.entry, 0x401000);
    assert.deepEqual(image.segments, [
      { vaddr: 0x400000, filesz: 0x200, memsz: 0x200, fileOffset: 0, prot: PROT_READ },
      { vaddr: 0x401000, filesz: 0x100, memsz: 0x100, fileOffset: 0x1000, prot: PROT_READ | PROT_EXEC },
      { vaddr: 0x403f10, filesz: 0x100, memsz: 0x2000, fileOffset: 0x1f10, prot: PROT_READ | PROT_WRITE },
    ]);
    assert.equal(image.phdrAddr, 0x400040, 'from the PT_LOAD holding e_phoff');
    assert.equal(image.phent, 56);
    assert.equal(image.phnum, 3);
    assert.equal(image.brkStart, 0x406000);
    assert.equal(image.execStack, true, 'no PT_GNU_STACK');
    assert.ok(!('interpreter' in image));
    assert.ok(!('tls' in image));
  });

  it('relocates an ET_DYN by the bias', () => {
    const bias = 0x7f1234560000;
    const image = planImage(makeElf({ type: 3, entry: 0x1040, phdrs: DYN_PHDRS }), { bias });
    assert.equal(image.type, 'dyn');
    assert.equal(image.bias, bias);
    assert.equal(image.entry, bias + 0x1040);
    assert.deepEqual(
      image.segments.map((s) => s.vaddr),
      [bias, bias + 0x1000, bias + 0x3e00],
    );
    assert.equal(image.phdrAddr, bias + 64);
    assert.equal(image.phnum, 5);
    assert.equal(image.brkStart, bias + 0x6000);
    assert.deepEqual(image.tls, { vaddr: bias + 0x3e00, filesz: 0x10, memsz: 0x28, align: 8 });
  });

  it('defaults an ET_DYN bias to 0 and rejects an unaligned one', () => {
    const elf = makeElf({ type: 3, entry: 0x1040, phdrs: DYN_PHDRS });
    assert.equal(planImage(elf).entry, 0x1040);
    assert.throws(() => planImage(elf, { bias: 0x1234 }), RangeError);
  });

  it('prefers PT_PHDR, and reports 0 when the headers are not mapped', () => {
    const unmapped: Phdr[] = [{ type: PT_LOAD, flags: R | X, offset: 0x1000, vaddr: 0x401000, filesz: 0x100 }];
    assert.equal(planImage(makeElf({ phdrs: unmapped })).phdrAddr, 0);
    const withPhdr = [{ type: PT_PHDR, vaddr: 0x500040 }, ...unmapped];
    assert.equal(planImage(makeElf({ phdrs: withPhdr })).phdrAddr, 0x500040);
  });

  it('reads PT_GNU_STACK, the last one winning', () => {
    const stack = (flags: number): Phdr => ({ type: PT_GNU_STACK, flags });
    assert.equal(planImage(makeElf({ phdrs: [...EXEC_LOADS, stack(R | W)] })).execStack, false);
    assert.equal(planImage(makeElf({ phdrs: [...EXEC_LOADS, stack(R | W | X)] })).execStack, true);
    assert.equal(planImage(makeElf({ phdrs: [...EXEC_LOADS, stack(R | W | X), stack(R | W)] })).execStack, false);
  });

  it('reads PT_INTERP without its NUL', () => {
    const path = utf8('/lib/ld-musl-x86_64.so.1\0');
    const phdrs = [{ type: PT_INTERP, offset: 0x180, vaddr: 0x400180, filesz: path.length }, ...EXEC_LOADS];
    const image = planImage(makeElf({ phdrs, content: [[0x180, path]] }));
    assert.equal(image.interpreter, '/lib/ld-musl-x86_64.so.1');
  });

  it('rejects a PT_INTERP that is not NUL-terminated or empty', () => {
    const path = utf8('/lib/ld.so');
    const interp = (filesz: number): Phdr => ({ type: PT_INTERP, offset: 0x180, filesz });
    const elf = (filesz: number) => makeElf({ phdrs: [interp(filesz), ...EXEC_LOADS], content: [[0x180, path]] });
    assertNoexec(() => planImage(elf(path.length)), /PT_INTERP is not NUL-terminated/);
    assertNoexec(() => planImage(elf(0)), /PT_INTERP is 0 bytes/);
  });

  it('ignores program header types elfy does not know (PT_GNU_PROPERTY)', () => {
    const image = planImage(makeElf({ phdrs: [...EXEC_LOADS, { type: PT_GNU_PROPERTY, offset: 0x100, filesz: 0x20 }] }));
    assert.equal(image.segments.length, 3);
  });

  it('skips empty PT_LOAD segments', () => {
    const image = planImage(makeElf({ phdrs: [...EXEC_LOADS, { type: PT_LOAD, vaddr: 0x900000 }] }));
    assert.equal(image.segments.length, 3);
    assert.equal(image.brkStart, 0x406000);
  });

  it('gives the page-aligned span for choosing an ET_DYN base', () => {
    assert.equal(imageSpan(makeElf({ phdrs: EXEC_LOADS })), 0x6000);
    assert.equal(imageSpan(makeElf({ type: 3, phdrs: DYN_PHDRS })), 0x6000);
  });
});

describe('loader: malformed ELF files', () => {
  const valid = makeElf({ phdrs: EXEC_LOADS });
  const withByte = (offset: number, value: number): Uint8Array => {
    const copy = valid.slice();
    copy[offset] = value;
    return copy;
  };

  it('rejects non-ELF data', () => {
    assertNoexec(() => planImage(new Uint8Array(0)), /^not an ELF file$/);
    assertNoexec(() => planImage(utf8('#!/bin/sh\necho hi\n')), /^not an ELF file$/);
    assertNoexec(() => planImage(withByte(1, 0x65)), /^not an ELF file$/);
  });

  it('rejects a truncated header', () => {
    assertNoexec(() => planImage(valid.subarray(0, 40)), /^truncated ELF: header is 40 bytes, expected 64$/);
  });

  it('rejects truncated program headers', () => {
    assertNoexec(
      () => planImage(makeElf({ phdrs: EXEC_LOADS, size: 64 + 56 + 10 })),
      /^truncated ELF: program headers extend past end of file$/,
    );
  });

  it('rejects 32-bit, big-endian and invalid idents', () => {
    assertNoexec(() => planImage(withByte(4, 1)), /^ELF is 32-bit \(ELFCLASS32\): only x86-64 is supported$/);
    assertNoexec(() => planImage(withByte(4, 7)), /invalid class 7/);
    assertNoexec(() => planImage(withByte(5, 2)), /big-endian/);
  });

  it('rejects other machines, naming them', () => {
    assertNoexec(() => planImage(makeElf({ machine: 40, phdrs: EXEC_LOADS })), /^ELF is for machine 40 \(ARM\), not x86-64$/);
    assertNoexec(() => planImage(makeElf({ machine: 183, phdrs: EXEC_LOADS })), /machine 183 \(AArch64\)/);
    assertNoexec(() => planImage(makeElf({ machine: 3, phdrs: EXEC_LOADS })), /machine 3 \(i386\)/);
    assertNoexec(() => planImage(makeElf({ machine: 999, phdrs: EXEC_LOADS })), /^ELF is for machine 999, not x86-64$/);
  });

  it('rejects relocatable objects and core dumps', () => {
    assertNoexec(() => planImage(makeElf({ type: 1, phdrs: EXEC_LOADS })), /ELF type 1 \(ET_REL\) is not executable/);
    assertNoexec(() => planImage(makeElf({ type: 4, phdrs: EXEC_LOADS })), /ET_CORE/);
  });

  it('rejects odd program header tables', () => {
    assertNoexec(() => planImage(makeElf({ phentsize: 32, phdrs: EXEC_LOADS })), /program header size is 32, expected 56/);
    assertNoexec(() => planImage(makeElf({ phdrs: [] })), /^ELF has no program headers$/);
    assertNoexec(() => planImage(makeElf({ phdrs: [{ type: PT_GNU_STACK }] })), /^ELF has no loadable segments$/);
  });

  it('maps a PT_LOAD reaching past the end of the file, as Linux does; rejects such a PT_INTERP', () => {
    const phdrs = [...EXEC_LOADS, { type: PT_LOAD, offset: 0x3000, vaddr: 0x408000, filesz: 0x1000 }];
    const plan = planImage(makeElf({ phdrs, size: 0x3800 }));
    assert.equal(plan.segments.at(-1)?.filesz, 0x1000);
    const interp = [{ type: PT_INTERP, offset: 0x2000, filesz: 0x4000 }, ...EXEC_LOADS];
    assertNoexec(() => planImage(makeElf({ phdrs: interp, size: 0x2100 })), /segment 0 \(PT_INTERP\) extends past/);
  });

  it('rejects 64-bit values a JS number cannot hold exactly', () => {
    const phdrs = [...EXEC_LOADS, { type: PT_GNU_STACK, vaddr: 2 ** 60 }];
    assertNoexec(() => planImage(makeElf({ phdrs })), /program header 3 p_vaddr 0x1000000000000000 is out of range/);
    assertNoexec(() => planImage(makeElf({ entry: 2 ** 62, phdrs: EXEC_LOADS })), /e_entry .* out of range/);
  });

  it('rejects segments Linux would refuse to map', () => {
    const load = (p: Phdr): Uint8Array => makeElf({ phdrs: [...EXEC_LOADS, p] });
    assertNoexec(
      () => planImage(load({ type: PT_LOAD, offset: 0, vaddr: 0x500000, filesz: 0x20, memsz: 0x10 })),
      /segment 3 has p_filesz > p_memsz/,
    );
    assertNoexec(
      () => planImage(load({ type: PT_LOAD, offset: 0x10, vaddr: 0x500000, filesz: 0x20 })),
      /segment 3 has p_offset and p_vaddr misaligned/,
    );
    assertNoexec(
      () => planImage(load({ type: PT_LOAD, vaddr: 0x7ffffffff000, memsz: 0x1000 })),
      /segment 3 lies outside the user address space/,
    );
    assertNoexec(() => planImage(makeElf({ entry: 0x7ffffffff000, phdrs: EXEC_LOADS })), /entry point lies outside/);
  });
});

describe('loader: real binaries', () => {
  it('plans /bin/ls (PIE, dynamically linked)', () => {
    const bias = 0x555555554000;
    const image = planImage(readFileSync('/bin/ls'), { bias });
    assert.equal(image.type, 'dyn');
    assert.equal(image.interpreter, '/lib64/ld-linux-x86-64.so.2');
    assert.equal(image.execStack, false);
    assert.equal(image.phent, 56);
    assert.equal(image.phdrAddr, bias + 64);
    assert.ok(image.segments.length >= 2);
    assert.ok(image.segments.every((s) => s.vaddr >= bias && s.vaddr + s.memsz <= image.brkStart));
    assert.equal(image.segments.filter((s) => s.prot & PROT_EXEC).length, 1);
    const text = image.segments.find((s) => s.prot & PROT_EXEC)!;
    assert.ok(image.entry >= text.vaddr && image.entry < text.vaddr + text.memsz);
    assert.equal(image.brkStart % 4096, 0);
    assert.equal(imageSpan(readFileSync('/bin/ls')) + bias, image.brkStart);
  });

  it('plans /bin/busybox (static)', function () {
    if (!existsSync('/bin/busybox')) this.skip();
    const image = planImage(readFileSync('/bin/busybox'));
    assert.ok(!('interpreter' in image));
    assert.ok(image.tls, 'static glibc has PT_TLS');
    assert.equal(image.execStack, false);
    assert.ok(image.phdrAddr !== 0);
    const text = image.segments.find((s) => s.prot & PROT_EXEC)!;
    assert.ok(image.entry >= text.vaddr && image.entry < text.vaddr + text.memsz);
  });

  it('plans the dynamic linker itself (ET_DYN without PT_INTERP)', function () {
    const ld = '/lib64/ld-linux-x86-64.so.2';
    if (!existsSync(ld)) this.skip();
    const image = planImage(readFileSync(ld), { bias: 0x7f0000000000 });
    assert.equal(image.type, 'dyn');
    assert.ok(!('interpreter' in image));
  });
});

/** Appends .symtab/.strtab section headers to an ELF. */
function withSymtab(elf: Uint8Array, syms: Array<{ name: string; info: number; shndx: number; value: number; size: number }>): Uint8Array {
  const names = ['', ...syms.map((s) => s.name)];
  const strtab = utf8(names.join('\0') + '\0');
  const nameOffsets = names.map((_, i) => names.slice(0, i).reduce((n, s) => n + s.length + 1, 0));
  const symOff = elf.length;
  const strOff = symOff + (syms.length + 1) * 24;
  const shOff = strOff + strtab.length + ((8 - ((strOff + strtab.length) % 8)) % 8);
  const out = new Uint8Array(shOff + 3 * 64);
  const v = new DataView(out.buffer);
  out.set(elf);
  syms.forEach((s, i) => {
    const at = symOff + (i + 1) * 24;
    v.setUint32(at, nameOffsets[i + 1]!, true);
    v.setUint8(at + 4, s.info);
    v.setUint16(at + 6, s.shndx, true);
    v.setBigUint64(at + 8, BigInt(s.value), true);
    v.setBigUint64(at + 16, BigInt(s.size), true);
  });
  out.set(strtab, strOff);
  const section = (i: number, type: number, offset: number, size: number, link: number): void => {
    const at = shOff + i * 64;
    v.setUint32(at + 4, type, true);
    v.setBigUint64(at + 24, BigInt(offset), true);
    v.setBigUint64(at + 32, BigInt(size), true);
    v.setUint32(at + 40, link, true);
  };
  section(1, 2, symOff, (syms.length + 1) * 24, 2);
  section(2, 3, strOff, strtab.length, 0);
  v.setBigUint64(40, BigInt(shOff), true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 3, true);
  return out;
}

describe('loader: readSymbols', () => {
  const GLOBAL_FUNC = 0x12;
  const GLOBAL_OBJECT = 0x11;
  const LOCAL_FILE = 0x04;
  const elf = withSymtab(makeElf({ phdrs: EXEC_LOADS }), [
    { name: 'main', info: GLOBAL_FUNC, shndx: 1, value: 0x401010, size: 0x20 },
    { name: 'counter', info: GLOBAL_OBJECT, shndx: 2, value: 0x404000, size: 8 },
    { name: 'start.c', info: LOCAL_FILE, shndx: 0xfff1, value: 0, size: 0 },
    { name: 'puts', info: GLOBAL_FUNC, shndx: 0, value: 0, size: 0 },
    { name: '_start', info: GLOBAL_FUNC, shndx: 1, value: 0x401000, size: 0x10 },
  ]);

  it('returns defined FUNC and OBJECT symbols sorted by address', () => {
    assert.deepEqual(readSymbols(elf), [
      { name: '_start', value: 0x401000, size: 0x10, type: 'FUNC' },
      { name: 'main', value: 0x401010, size: 0x20, type: 'FUNC' },
      { name: 'counter', value: 0x404000, size: 8, type: 'OBJECT' },
    ]);
  });

  it('returns [] without section headers or with a truncated table', () => {
    assert.deepEqual(readSymbols(makeElf({ phdrs: EXEC_LOADS })), []);
    assert.deepEqual(readSymbols(elf.subarray(0, elf.length - 10)), []);
  });

  it('rejects a non-ELF file', () => {
    assertNoexec(() => readSymbols(utf8('hello, world')), /^not an ELF file$/);
  });

  it('falls back to .dynsym in a stripped libc', function () {
    const libc = '/lib/x86_64-linux-gnu/libc.so.6';
    if (!existsSync(libc)) this.skip();
    const malloc = readSymbols(readFileSync(libc)).find((s) => s.name === 'malloc');
    assert.equal(malloc?.type, 'FUNC');
    assert.ok(malloc.value > 0 && malloc.size > 0);
  });
});
